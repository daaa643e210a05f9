/// What is drawn over (or instead of) the panes and takes the keys.
public enum Modal: Hashable, Sendable {
    /// `?`: the key table.
    case help
    case aliasInput(AliasInputDialog)
    case aliasMove(AliasMoveDialog)
    case aliasRemove(AliasRemoveDialog)
    case description(DescriptionDialog)
    case metadata(MetadataDialog)
    /// The `:` line at the bottom.
    case commandLine(CommandLineState)
    case delete(DeleteDialog)
    case prune(PruneDialog)
    /// Full screen.
    case lineage(LineageViewState)
    /// Full screen.
    case cache(CacheViewState)

    /// Whether it replaces the panes (lineage, cache) rather than floating over them.
    var isFullScreen: Bool {
        switch self {
        case .lineage, .cache: return true
        default: return false
        }
    }

    /// Which bindings apply while it is open.
    public var context: BindingContext {
        switch self {
        case .lineage: return .lineage
        case .cache: return .cache
        case .description(let dialog): return dialog.confirmingDiscard ? .dialog : .editor
        case .metadata: return .metadata
        case .commandLine: return .commandLine
        default: return .dialog
        }
    }
}
