/// What to do with a version once it has been read again (`Effect.refreshVersion`).
public enum VersionAction: Hashable, Sendable {
    case addAlias, removeAlias, editDescription, editDescriptionExternally, editMetadata, delete
    /// A command of the `:` line.
    case command(CommandRequest)
}
