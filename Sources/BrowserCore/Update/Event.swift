import ArtifactStore

/// Everything that can change the browser: keys, the terminal, the clock, and results of effects.
public enum Event: Hashable, Sendable {
    case key(Key)
    /// The terminal was resized (a storm of these is coalesced by the backend).
    case resize(TerminalSize)
    /// Advances the spinner while work is in flight.
    case tick
    case projectsLoaded(generation: Int, Result<[ProjectSummary], StoreFailure>)
    case artifactsLoaded(generation: Int, project: String, Result<[ArtifactSummary], StoreFailure>)
    case versionCountLoaded(generation: Int, ArtifactKey, Result<Int, StoreFailure>)
    case versionPageLoaded(generation: Int, ArtifactKey, page: Int, Result<[ArtifactVersion], StoreFailure>)
    case filesLoaded(generation: Int, versionID: Int64, offset: Int, Result<[ManifestEntry], StoreFailure>)
    /// The alias is valid; `holder` is the version holding it now, if any.
    case aliasChecked(ticket: Int, Result<ArtifactVersion?, StoreFailure>)
    /// A change to the store finished; success carries the message for the status line.
    case storeChanged(ticket: Int, Result<String, StoreFailure>)
    /// A version read again before an action: `nil` when it is gone (deleted, or no longer there).
    case versionRefreshed(ticket: Int, version: ArtifactVersion, then: VersionAction, Result<ArtifactVersion?, StoreFailure>)
    case downloaded(ticket: Int, Result<DownloadSummary, StoreFailure>)
    /// The editor closed; success carries the text as the user left it.
    case editorFinished(ticket: Int, version: ArtifactVersion, Result<String, StoreFailure>)
    case deletionPreviewed(ticket: Int, Result<DeletionPreview, StoreFailure>)
    case prunePreviewed(ticket: Int, keepLast: Int, Result<DeletionPlan, StoreFailure>)
    case lineageLoaded(ticket: Int, Result<LineageGraph, StoreFailure>)
    case runLoaded(ticket: Int, Result<RunDetail, StoreFailure>)
    case versionLocated(ticket: Int, ArtifactKey, Result<Int?, StoreFailure>)
    case cacheMeasured(ticket: Int, Result<CacheSummary, StoreFailure>)
    case cacheCleaned(ticket: Int, Result<CleanupResult, StoreFailure>)
    case versionsFiltered(ticket: Int, ArtifactKey, needle: String, Result<[ArtifactVersion], StoreFailure>)
    case diffLoaded(ticket: Int, Result<VersionDiff, StoreFailure>)
    case patchLoaded(ticket: Int, path: String, Result<FilePatch?, StoreFailure>)
    case searchFinished(ticket: Int, Result<[ArtifactVersion], StoreFailure>)
}
