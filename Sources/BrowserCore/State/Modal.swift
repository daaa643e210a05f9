/// What is drawn over (or instead of) the panes and takes the keys.
public enum Modal: Hashable, Sendable {
    /// `?`: the key table, scrolled down by this many rows.
    case help(scroll: Int)
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
    /// Full screen.
    case diff(DiffViewState)
    /// Full screen.
    case search(SearchViewState)

    /// Whether it replaces the panes (lineage, cache) rather than floating over them.
    var isFullScreen: Bool {
        switch self {
        case .lineage, .cache, .diff, .search: return true
        default: return false
        }
    }

    /// Which bindings apply while it is open.
    public var context: BindingContext {
        switch self {
        case .lineage: return .lineage
        case .cache: return .cache
        case .diff: return .diff
        case .search: return .search
        case .description(let dialog): return dialog.confirmingDiscard ? .dialog : .editor
        case .metadata: return .metadata
        case .commandLine: return .commandLine
        case .help: return .help
        default: return .dialog
        }
    }
}
