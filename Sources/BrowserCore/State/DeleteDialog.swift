import ArtifactStore

/// `d`: the confirmation before deleting a version.
public struct DeleteDialog: Hashable, Sendable {
    /// The version that would go.
    public var version: ArtifactVersion
    /// Exact bytes freed and hand-set aliases, once the store has answered.
    public var preview: DeletionPreview?
    /// Index into `buttons`; starts on Cancel (the last).
    public var focus = 0

    /// The choices offered: deleting the aliases too is only offered when there are some.
    public var buttons: [String] {
        guard let preview else { return ["Cancel"] }
        return preview.manualAliases.isEmpty ? ["Delete", "Cancel"] : ["Delete with aliases", "Cancel"]
    }
}
