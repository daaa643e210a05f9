/// What to do with a version once it has been read again (`Effect.refreshVersion`).
public enum VersionAction: Hashable, Sendable {
    case addAlias, removeAlias, editDescription, editDescriptionExternally, editMetadata, delete
    /// A command of the `:` line.
    case command(CommandRequest)
}

extension VersionAction {
    /// Whether the action changes the version (a viewer may not), rather than reading it.
    var changesTheVersion: Bool {
        switch self {
        case .addAlias, .removeAlias, .editDescription, .editDescriptionExternally, .editMetadata, .delete: true
        case .command(let request): request.changesTheVersion
        }
    }
}
