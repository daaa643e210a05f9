import ArtifactStore

/// Work the update function asks for; `EffectRunner` performs it against the store and answers
/// with events. Reads carry the generation they were asked in; other work carries a ticket.
public enum Effect: Hashable, Sendable {
    case loadProjects(generation: Int)
    case loadArtifacts(project: String, generation: Int)
    case loadVersionCount(ArtifactKey, generation: Int)
    case loadVersionPage(ArtifactKey, page: Int, generation: Int)
    case loadFiles(versionID: Int64, offset: Int, generation: Int)
    /// Validates an alias and finds who holds it now.
    case checkAlias(ticket: Int, version: ArtifactVersion, alias: String)
    case addAlias(ticket: Int, version: ArtifactVersion, alias: String)
    case removeAlias(ticket: Int, version: ArtifactVersion, alias: String)
    case setDescription(ticket: Int, version: ArtifactVersion, text: String)
    /// Reads a version again before acting on it, so that acting on a version another process
    /// deleted says so instead of opening a dialog.
    case refreshVersion(ticket: Int, version: ArtifactVersion, then: VersionAction)
    case updateMetadata(ticket: Int, version: ArtifactVersion, changes: [MetadataChange])
    /// Writes a version's files into a directory (`nil`: the command line's default).
    case download(ticket: Int, version: ArtifactVersion, root: String?)
    /// Opens the user's editor on a text. The terminal backend performs it, since the editor
    /// needs the screen; `EffectRunner` cannot, and answers nothing.
    case runEditor(ticket: Int, version: ArtifactVersion, text: String)
    case previewDeletion(ticket: Int, version: ArtifactVersion)
    case deleteVersion(ticket: Int, version: ArtifactVersion, deleteAliases: Bool)
    case previewPrune(ticket: Int, project: String, artifact: String?, keepLast: Int)
    case prune(ticket: Int, project: String, artifact: String?, keepLast: Int)
    /// Loads the lineage `depth` hops up and down from a version.
    case loadLineage(ticket: Int, version: ArtifactVersion, depth: Int)
    /// Loads a run shown from the lineage view.
    case loadRun(ticket: Int, id: String)
    /// Finds the row of a version (after a lineage jump).
    case locateVersion(ticket: Int, key: ArtifactKey, index: Int)
    case measureCache(ticket: Int)
    case cleanCache(ticket: Int, toAtMost: Int64)
    /// Scans an artifact's versions for a filter, a page at a time, stopping when cancelled.
    case filterVersions(ticket: Int, key: ArtifactKey, needle: String)
    /// Diffs `target` against `base`.
    case loadDiff(ticket: Int, target: ArtifactVersion, base: DiffBase)
    /// Makes the patch of one changed file.
    case loadPatch(ticket: Int, diff: VersionDiff, change: FileChange)
    /// Runs a search over the whole store.
    case search(ticket: Int, search: BrowserSearch)
    /// Abandons the work of a ticket: its loops stop, its result is dropped.
    case cancel(ticket: Int)
    /// Leaves the browser.
    case quit

    /// Whether the effect changes the store (such effects are run one at a time, in order).
    public var isWrite: Bool {
        switch self {
        case .addAlias, .removeAlias, .setDescription, .updateMetadata, .download, .deleteVersion, .prune, .cleanCache:
            return true
        default: return false
        }
    }

    /// The ticket it belongs to, if any.
    public var ticket: Int? {
        switch self {
        case let .checkAlias(ticket, _, _), let .addAlias(ticket, _, _), let .removeAlias(ticket, _, _),
            let .setDescription(ticket, _, _), let .previewDeletion(ticket, _),
            let .refreshVersion(ticket, _, _), let .updateMetadata(ticket, _, _), let .download(ticket, _, _),
            let .runEditor(ticket, _, _),
            let .deleteVersion(ticket, _, _), let .previewPrune(ticket, _, _, _), let .prune(ticket, _, _, _),
            let .loadLineage(ticket, _, _), let .loadRun(ticket, _), let .locateVersion(ticket, _, _), let .measureCache(ticket),
            let .cleanCache(ticket, _), let .filterVersions(ticket, _, _), let .cancel(ticket),
            let .loadDiff(ticket, _, _), let .loadPatch(ticket, _, _), let .search(ticket, _):
            return ticket
        default:
            return nil
        }
    }
}
