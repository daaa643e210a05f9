import ArtifactStore
import BrowserCore
import Foundation

/// The fixture store as a team server shows it, for tests of what only a server does: projects
/// carry a visibility, a viewer's changes are refused with the server's reason, and the
/// connection can drop and come back.
public final class FixtureServer: BrowserStore, @unchecked Sendable {
    /// The store behind the server.
    public let store: FixtureStore
    public var storePath: String { "https://arttui.example.test" }
    public var storeNoun: String { "server" }
    private let lock = NSLock()
    private var visibilities: [String: String]
    private var refusal: String?
    private var readOnlyProjects: Set<String> = []
    private var down = false

    /// A server over `store`; `visibilities` gives each project's visibility (`private` when not named).
    public init(store: FixtureStore = FixtureStore(), visibilities: [String: String] = [:]) {
        self.store = store
        self.visibilities = visibilities
    }

    /// From now on every change is refused with `reason`, as a server refuses a viewer's; reads go on.
    public func refuseChanges(_ reason: String) { locked { refusal = reason } }

    /// The caller becomes a viewer of `project`: the listing says it may only read it, and every change
    /// is refused as the server refuses it.
    public func makeViewer(of project: String) {
        locked { readOnlyProjects.insert(project) }
        refuseChanges("you may read but not write to project \(project)")
    }

    /// The server goes away: every call fails as an unreachable one does.
    public func goDown() { locked { down = true } }

    /// The server is back.
    public func comeBack() { locked { down = false } }

    /// The error of a request to a server that is not there.
    public struct Unreachable: UnreachableStoreError, CustomStringConvertible {
        public var isUnreachable: Bool { true }
        public var description: String { "cannot reach server https://arttui.example.test: Connection refused" }
    }

    /// The error of a change the caller may not make.
    public struct Refused: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "permission denied: \(reason)" }
    }

    // MARK: Reading

    public func projects() throws -> [ProjectSummary] {
        try read {
            try store.projects().map { project in
                var project = project
                project.visibility = locked { visibilities[project.name] } ?? "private"
                project.access = locked { readOnlyProjects.contains(project.name) } ? "read" : "admin"
                return project
            }
        }
    }

    public func artifacts(project: String) throws -> [ArtifactSummary] { try read { try store.artifacts(project: project) } }

    public func versionCount(project: String, artifact: String) throws -> Int {
        try read { try store.versionCount(project: project, artifact: artifact) }
    }

    public func versions(project: String, artifact: String, offset: Int, limit: Int) throws -> [ArtifactVersion] {
        try read { try store.versions(project: project, artifact: artifact, offset: offset, limit: limit) }
    }

    public func versionOffset(project: String, artifact: String, index: Int) throws -> Int? {
        try read { try store.versionOffset(project: project, artifact: artifact, index: index) }
    }

    public func version(id: Int64) throws -> ArtifactVersion { try read { try store.version(id: id) } }

    public func files(versionID: Int64, offset: Int, limit: Int) throws -> [ManifestEntry] {
        try read { try store.files(versionID: versionID, offset: offset, limit: limit) }
    }

    public func validateAlias(_ alias: String) throws { try store.validateAlias(alias) }

    public func aliasHolder(project: String, artifact: String, alias: String) throws -> ArtifactVersion? {
        try read { try store.aliasHolder(project: project, artifact: artifact, alias: alias) }
    }

    public func lineage(versionID: Int64, up: Int, down: Int) throws -> LineageGraph {
        try read { try store.lineage(versionID: versionID, up: up, down: down) }
    }

    public func runDetail(id: String) throws -> RunDetail { try read { try store.runDetail(id: id) } }

    public func previousVersion(versionID: Int64) throws -> ArtifactVersion? {
        try read { try store.previousVersion(versionID: versionID) }
    }

    public func diff(baseID: Int64, targetID: Int64) throws -> VersionDiff {
        try read { try store.diff(baseID: baseID, targetID: targetID) }
    }

    public func patch(for change: FileChange, in diff: VersionDiff) throws -> FilePatch? {
        try read { try store.patch(for: change, in: diff) }
    }

    public func find(_ search: BrowserSearch) throws -> [ArtifactVersion] { try read { try store.find(search) } }

    public func deletionPreview(versionID: Int64) throws -> DeletionPreview {
        try read { try store.deletionPreview(versionID: versionID) }
    }

    public func prunePreview(project: String, artifact: String?, keepLast: Int) throws -> DeletionPlan {
        try read { try store.prunePreview(project: project, artifact: artifact, keepLast: keepLast) }
    }

    /// Downloading reads the server, and writes only on this machine: a viewer may.
    public func download(versionID: Int64, root: String?) throws -> DownloadSummary {
        try read { try store.download(versionID: versionID, root: root) }
    }

    /// The cache is on this machine: it works with the server down.
    public func cacheSummary() throws -> CacheSummary { try store.cacheSummary() }

    public func cacheCleanup(toAtMost bytes: Int64) throws -> CleanupResult { try store.cacheCleanup(toAtMost: bytes) }

    // MARK: Changing

    public func addAlias(versionID: Int64, alias: String) throws { try change { try store.addAlias(versionID: versionID, alias: alias) } }

    public func removeAlias(versionID: Int64, alias: String) throws {
        try change { try store.removeAlias(versionID: versionID, alias: alias) }
    }

    public func setDescription(versionID: Int64, text: String) throws {
        try change { try store.setDescription(versionID: versionID, text: text) }
    }

    public func updateMetadata(versionID: Int64, changes: [MetadataChange]) throws {
        try change { try store.updateMetadata(versionID: versionID, changes: changes) }
    }

    public func deleteVersion(versionID: Int64, deleteAliases: Bool) throws -> Int64 {
        try change { try store.deleteVersion(versionID: versionID, deleteAliases: deleteAliases) }
    }

    public func prune(project: String, artifact: String?, keepLast: Int) throws -> DeletionPlan {
        try change { try store.prune(project: project, artifact: artifact, keepLast: keepLast) }
    }

    // MARK: Internals

    private func read<T>(_ body: () throws -> T) throws -> T {
        if locked({ down }) { throw Unreachable() }
        return try body()
    }

    private func change<T>(_ body: () throws -> T) throws -> T {
        try read {
            if let reason = locked({ refusal }) { throw Refused(reason: reason) }
            return try body()
        }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
