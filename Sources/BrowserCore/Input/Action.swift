/// Everything a key can ask the browser to do; the key table maps keys to these.
public enum Action: Hashable, Sendable {
    case moveUp, moveDown, pageUp, pageDown, halfPageUp, halfPageDown, moveTop, moveBottom
    case open, back, nextPane, previousPane
    /// Focus pane 1…4 directly.
    case focusPane(Int)
    case addAlias, removeAlias, editDescription, deleteVersion, prune
    /// `E`: the description in `$VISUAL`/`$EDITOR`.
    case editDescriptionExternally
    /// `M`: set or remove a metadata key.
    case editMetadata
    /// `:`: the command line.
    case commandLine
    /// Saves what an editor holds.
    case save
    /// Text editing: a character left or right, the start or end of the row, a line break,
    /// deleting before or under the cursor.
    case cursorLeft, cursorRight, rowStart, rowEnd, newLine, deleteBackward, deleteForward
    /// Removes the metadata key named in the metadata editor.
    case removeKey
    /// Completes the command typed so far.
    case complete
    /// Steps back and forth through the commands run before.
    case historyBack, historyForward
    case lineage, cache, filter, nextMatch, previousMatch, reload, help, quit
    /// Repaint the whole screen (Ctrl-L), for a terminal whose contents were lost.
    case redraw
    /// Confirms a dialog or the focused button.
    case confirm
    /// Leaves a dialog or view without doing anything; cancels work where that is safe.
    case cancel
    /// Moves focus between a dialog's fields and buttons.
    case nextField, previousField
    /// `D`: diff the version against the one before it or the marked one; `m` marks; `F` searches.
    case diff, markVersion, search
    /// Lineage view: one hop more or less up and down; pan the picture without moving the selection.
    case deeper, shallower, panLeft, panRight, panUp, panDown
}
