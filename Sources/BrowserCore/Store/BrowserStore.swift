import ArtifactStore

/// Everything the browser reads from and changes in a store.
///
/// The browser never touches the catalog directly: the integrator implements this over the real
/// `ArtifactStore`, tests use `FixtureStore`. Calls are synchronous and may be slow; the browser
/// makes them from a worker thread, never from the input loop, so they may block. Errors are
/// shown to the user with `String(describing:)`, so they should name what is at fault
/// (`StoreError` does).
public protocol BrowserStore: Sendable {
    /// The store's directory, shown in the status line.
    var storePath: String { get }

    /// What the browser calls this store in messages ("store", "server"): a server that went away
    /// is not a store on disk.
    var storeNoun: String { get }

    /// All projects, sorted by name.
    func projects() throws -> [ProjectSummary]

    /// The artifacts of a project, any order (the browser groups them by type).
    func artifacts(project: String) throws -> [ArtifactSummary]

    /// Number of committed versions of an artifact.
    func versionCount(project: String, artifact: String) throws -> Int

    /// Committed versions, newest first (`offset` 0 is the highest index), at most `limit`.
    /// Only the rows on screen are asked for, so this must not load the whole artifact.
    func versions(project: String, artifact: String, offset: Int, limit: Int) throws -> [ArtifactVersion]

    /// Where version `index` sits in the newest-first list of `versions`, or `nil` if it is gone.
    func versionOffset(project: String, artifact: String, index: Int) throws -> Int?

    /// One version by catalog id.
    func version(id: Int64) throws -> ArtifactVersion

    /// Files of a version sorted by path, a page at a time.
    func files(versionID: Int64, offset: Int, limit: Int) throws -> [ManifestEntry]

    /// Checks an alias a user typed, as the command line does (`Alias.validateManual`).
    /// - Throws: `StoreError.invalidAlias` naming the rule broken.
    func validateAlias(_ alias: String) throws

    /// The version of the artifact that holds an alias now (case-insensitively), if any.
    func aliasHolder(project: String, artifact: String, alias: String) throws -> ArtifactVersion?

    /// Sets an alias on a version, moving it from whichever version of the artifact held it.
    func addAlias(versionID: Int64, alias: String) throws

    /// Removes a hand-set alias from a version.
    func removeAlias(versionID: Int64, alias: String) throws

    /// Replaces a version's description.
    func setDescription(versionID: Int64, text: String) throws

    /// Applies metadata changes to the version as stored now (`MetadataChange.apply`).
    /// - Throws: `StoreError.invalidMetadata` when the result breaks a metadata rule.
    func updateMetadata(versionID: Int64, changes: [MetadataChange]) throws

    /// Writes a version's files into `root` (`nil`: `ArtifactVersion.defaultDownloadDirectory`),
    /// every byte checked, as `arttui get` does.
    func download(versionID: Int64, root: String?) throws -> DownloadSummary

    /// What deleting a version would do: the exact bytes freed and the hand-set aliases it holds.
    func deletionPreview(versionID: Int64) throws -> DeletionPreview

    /// Deletes a version; with `deleteAliases` false a version holding hand-set aliases is refused
    /// (`StoreError.versionHasAliases`). Returns the bytes freed.
    func deleteVersion(versionID: Int64, deleteAliases: Bool) throws -> Int64

    /// What pruning would delete: unaliased versions of one artifact (or of every artifact of the
    /// project when `artifact` is nil), keeping the newest `keepLast` of each artifact.
    func prunePreview(project: String, artifact: String?, keepLast: Int) throws -> DeletionPlan

    /// Prunes as `prunePreview` describes and returns what went.
    func prune(project: String, artifact: String?, keepLast: Int) throws -> DeletionPlan

    /// The lineage around a version, `up` hops towards its inputs and `down` hops towards its uses.
    func lineage(versionID: Int64, up: Int, down: Int) throws -> LineageGraph

    /// A run with what it used and logged, for the lineage view.
    /// - Throws: `StoreError.runNotFound` naming the id.
    func runDetail(id: String) throws -> RunDetail

    /// Size of the local download cache, in total and per artifact. May take a while.
    func cacheSummary() throws -> CacheSummary

    /// Evicts cached files, least recently used first, until the cache holds at most `bytes`.
    func cacheCleanup(toAtMost bytes: Int64) throws -> CleanupResult

    /// The committed version numbered just below `versionID`'s in its artifact, or nil for the first.
    func previousVersion(versionID: Int64) throws -> ArtifactVersion?

    /// What changed from one version to another: files by digest, metadata, description, aliases.
    func diff(baseID: Int64, targetID: Int64) throws -> VersionDiff

    /// A changed file of `diff` as a unified diff (or why there is none); nil when the texts are equal.
    func patch(for change: FileChange, in diff: VersionDiff) throws -> FilePatch?

    /// Committed versions over the whole store matching `search` (`find`'s search), at most its limit.
    func find(_ search: BrowserSearch) throws -> [ArtifactVersion]
}

extension BrowserStore {
    /// A store on this machine.
    public var storeNoun: String { "store" }
}
