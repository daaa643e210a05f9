import ArtifactStore
import BrowserCore
import Foundation
import ReferenceSources

/// The browser's view of the real store and cache: every call goes through the `ArtifactStore` API.
struct StoreBrowser: BrowserStore {
    let store: Store
    let cache: FileCache

    var storePath: String { store.directory.path }

    func projects() throws -> [ProjectSummary] { try store.projects() }

    func artifacts(project: String) throws -> [ArtifactSummary] { try store.artifacts(in: project) }

    func versionCount(project: String, artifact: String) throws -> Int {
        try store.versionCount(of: project, artifact)
    }

    func versions(project: String, artifact: String, offset: Int, limit: Int) throws -> [ArtifactVersion] {
        try store.versions(of: project, artifact, offset: offset, limit: limit)
    }

    func versionOffset(project: String, artifact: String, index: Int) throws -> Int? {
        try store.position(ofVersion: index, in: project, artifact)
    }

    func version(id: Int64) throws -> ArtifactVersion { try store.version(id: id) }

    func files(versionID: Int64, offset: Int, limit: Int) throws -> [ManifestEntry] {
        try store.files(of: store.version(id: versionID), offset: offset, limit: limit)
    }

    func validateAlias(_ alias: String) throws { try Alias.validateManual(alias) }

    func aliasHolder(project: String, artifact: String, alias: String) throws -> ArtifactVersion? {
        try store.holder(of: alias, in: project, artifact)
    }

    func addAlias(versionID: Int64, alias: String) throws {
        try store.addAlias(alias, to: store.version(id: versionID))
    }

    func removeAlias(versionID: Int64, alias: String) throws {
        try store.removeAlias(alias, from: store.version(id: versionID))
    }

    func setDescription(versionID: Int64, text: String) throws {
        try store.update(store.version(id: versionID), description: text)
    }

    func updateMetadata(versionID: Int64, changes: [MetadataChange]) throws {
        let version = try store.version(id: versionID)
        try store.update(version, metadata: MetadataChange.apply(changes, to: version.metadata))
    }

    func download(versionID: Int64, root: String?) throws -> DownloadSummary {
        let version = try store.version(id: versionID)
        let destination = URL(fileURLWithPath: root ?? version.defaultDownloadDirectory)
        let report = try store.download(version, to: destination, cache: cache, mode: .copy, references: .standard())
        return DownloadSummary(root: report.root, files: report.files, bytes: report.bytes)
    }

    func deletionPreview(versionID: Int64) throws -> DeletionPreview {
        let version = try store.version(id: versionID)
        let plan = try store.deletionPlan([version])
        return DeletionPreview(freedBytes: plan.freedBytes, manualAliases: version.manualAliases)
    }

    func deleteVersion(versionID: Int64, deleteAliases: Bool) throws -> Int64 {
        try store.delete([store.version(id: versionID)], deleteAliases: deleteAliases).freedBytes
    }

    func prunePreview(project: String, artifact: String?, keepLast: Int) throws -> DeletionPlan {
        try store.prunePlan(project: project, artifact: artifact, keepLast: keepLast)
    }

    func prune(project: String, artifact: String?, keepLast: Int) throws -> DeletionPlan {
        try store.prune(project: project, artifact: artifact, keepLast: keepLast)
    }

    func lineage(versionID: Int64, up: Int, down: Int) throws -> LineageGraph {
        try store.lineage(of: store.version(id: versionID), upstream: up, downstream: down)
    }

    func runDetail(id: String) throws -> RunDetail {
        let run = try store.run(id: id)
        func name(_ version: ArtifactVersion) -> String {
            version.qualifiedName + (version.state == .deleted ? " (deleted)" : "")
        }
        return RunDetail(record: run.record, used: try run.usedArtifacts().map(name), logged: try run.loggedArtifacts().map(name))
    }

    func cacheSummary() throws -> CacheSummary { try cache.cacheSummary() }

    func cacheCleanup(toAtMost bytes: Int64) throws -> CleanupResult {
        try cache.cleanup(toAtMost: bytes)
    }
}
