import ArtifactStore

/// `e`: editing a version's description over several lines.
public struct DescriptionDialog: Hashable, Sendable {
    /// The version.
    public var version: ArtifactVersion
    /// The text being edited, starting from the current description.
    public var editor: TextEditor
    /// Set when Esc was pressed with changes: the dialog asks before dropping them.
    public var confirmingDiscard = false
    /// In the discard question: 0 = keep editing, 1 = discard. Starts on keep editing.
    public var discardFocus = 0
    /// Why the last save was refused, shown in place.
    public var error: String?

    /// Opens the editor on the version's description.
    public init(version: ArtifactVersion) {
        self.version = version
        editor = TextEditor(version.description)
    }

    /// Whether the text differs from the description it started from.
    public var isChanged: Bool { editor.text != version.description }
}
