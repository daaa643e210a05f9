import ArtifactStore
import ArtifactWire
import BrowserCore
import Foundation
import ReferenceSources

/// The browser's view of a team server: every call goes through `ServerRepository`, the same
/// requests the commands make, and the download cache stays on this machine as it does for
/// `arttui get --remote`. Projects are `ENTITY/PROJECT` and carry their visibility.
///
/// Version ids are made by `ServerVersionIDs` from the names the server knows versions by.
struct ServerBrowser: BrowserStore {
    /// Shared by the worker threads the browser loads on (the repository is safe to share).
    let repository: ServerRepository
    let cache: FileCache
    let ids = ServerVersionIDs()

    var storePath: String { repository.location }
    var storeNoun: String { "server" }

    func projects() throws -> [ProjectSummary] { try repository.projects() }

    func artifacts(project: String) throws -> [ArtifactSummary] { try repository.artifacts(in: project) }

    func versionCount(project: String, artifact: String) throws -> Int {
        try repository.versionCount(of: project, artifact)
    }

    func versions(project: String, artifact: String, offset: Int, limit: Int) throws -> [ArtifactVersion] {
        try repository.versions(of: project, artifact, offset: offset, limit: limit, includePending: false).map(ids.identified)
    }

    /// The server lists versions newest first without a way to ask where one sits, so this pages
    /// through the list (a lineage jump is the only caller).
    func versionOffset(project: String, artifact: String, index: Int) throws -> Int? {
        let page = 1000
        var offset = 0
        while true {
            let versions = try repository.versions(of: project, artifact, offset: offset, limit: page, includePending: false)
            if let found = versions.firstIndex(where: { $0.index == index }) { return offset + found }
            if versions.count < page || versions.last.map({ ($0.index ?? 0) < index }) == true { return nil }
            offset += versions.count
        }
    }

    func version(id: Int64) throws -> ArtifactVersion {
        guard let name = ids.name(of: id) else {
            throw StoreError.versionNotFound(artifact: "?", reference: "id \(id)")
        }
        let (entity, project) = Self.split(name.project)
        do {
            return ids.identified(try repository.version(
                ArtifactAddress(entity: entity, project: project, name: name.artifact, reference: .index(name.index))))
        } catch ServerError.notFound {
            // As the local store says it, so the browser knows the version is gone.
            throw StoreError.versionNotFound(artifact: "\(name.project)/\(name.artifact)", reference: "v\(name.index)")
        }
    }

    func files(versionID: Int64, offset: Int, limit: Int) throws -> [ManifestEntry] {
        try repository.files(of: version(id: versionID), offset: offset, limit: limit)
    }

    func validateAlias(_ alias: String) throws { try Alias.validateManual(alias) }

    func aliasHolder(project: String, artifact: String, alias: String) throws -> ArtifactVersion? {
        let (entity, projectName) = Self.split(project)
        do {
            return ids.identified(try repository.version(
                ArtifactAddress(entity: entity, project: projectName, name: artifact, reference: .alias(alias))))
        } catch ServerError.notFound {
            return nil
        }
    }

    func addAlias(versionID: Int64, alias: String) throws {
        _ = try repository.addAlias(alias, to: version(id: versionID))
    }

    func removeAlias(versionID: Int64, alias: String) throws {
        let version = try version(id: versionID)
        let (entity, project) = Self.split(version.project)
        _ = try repository.removeAlias(alias, from: ArtifactPath(entity: entity, project: project, name: version.name))
    }

    func setDescription(versionID: Int64, text: String) throws {
        _ = try repository.edit(version(id: versionID), VersionEdit(description: text))
    }

    func updateMetadata(versionID: Int64, changes: [MetadataChange]) throws {
        let version = try version(id: versionID)
        _ = try repository.edit(version, VersionEdit(metadata: try MetadataChange.apply(changes, to: version.metadata)))
    }

    /// Downloads as `arttui get --remote` does: through this machine's cache, every byte checked.
    func download(versionID: Int64, root: String?) throws -> DownloadSummary {
        let version = try version(id: versionID)
        let (entity, project) = Self.split(version.project)
        let owner = try entity ?? repository.client.whoami().name
        let transfer = RemoteGet(client: repository.client, project: RemoteProject(entity: owner, project: project))
        let manifest = try transfer.manifest(artifact: version.name, reference: version.versionName)
        let report = try transfer.restore(
            manifest, to: URL(fileURLWithPath: root ?? version.defaultDownloadDirectory), cache: cache, mode: .copy,
            cachePolicy: .always, references: .standard(), allowChanged: false, warn: { _ in }, progress: nil)
        return DownloadSummary(root: report.root, files: report.files, bytes: report.bytes)
    }

    func deletionPreview(versionID: Int64) throws -> DeletionPreview {
        let version = try version(id: versionID)
        return DeletionPreview(freedBytes: try repository.deletionPlan(version).freedBytes, manualAliases: version.manualAliases)
    }

    func deleteVersion(versionID: Int64, deleteAliases: Bool) throws -> Int64 {
        try repository.delete(version(id: versionID), deleteAliases: deleteAliases).freedBytes
    }

    func prunePreview(project: String, artifact: String?, keepLast: Int) throws -> DeletionPlan {
        try identified(repository.prune(ProjectScope(project: project, name: artifact), keepLast: keepLast, dryRun: true))
    }

    func prune(project: String, artifact: String?, keepLast: Int) throws -> DeletionPlan {
        try identified(repository.prune(ProjectScope(project: project, name: artifact), keepLast: keepLast, dryRun: false))
    }

    func lineage(versionID: Int64, up: Int, down: Int) throws -> LineageGraph {
        try repository.lineage(of: version(id: versionID), upstream: up, downstream: down)
    }

    func runDetail(id: String) throws -> RunDetail {
        let run = try repository.runDetail(id: id)
        func name(_ version: ArtifactVersion) -> String {
            version.qualifiedName + (version.state == .deleted ? " (deleted)" : "")
        }
        return RunDetail(record: run.record, used: run.used.map(name), logged: run.logged.map(name))
    }

    func cacheSummary() throws -> CacheSummary { try cache.cacheSummary() }

    func cacheCleanup(toAtMost bytes: Int64) throws -> CleanupResult { try cache.cleanup(toAtMost: bytes) }

    func previousVersion(versionID: Int64) throws -> ArtifactVersion? {
        try repository.previousVersion(of: version(id: versionID)).map(ids.identified)
    }

    func diff(baseID: Int64, targetID: Int64) throws -> VersionDiff {
        var diff = try repository.diff(from: version(id: baseID), to: version(id: targetID))
        diff.base = ids.identified(diff.base)
        diff.target = ids.identified(diff.target)
        return diff
    }

    func patch(for change: FileChange, in diff: VersionDiff) throws -> FilePatch? {
        try repository.patch(for: change, in: diff, sizeLimit: FilePatch.defaultSizeLimit)
    }

    /// The server parses the expression's text with the same parser the browser checked it with.
    func find(_ search: BrowserSearch) throws -> [ArtifactVersion] {
        try repository.find(WireSearchQuery(conditions: [search.expression], limit: search.query.limit)).map(ids.identified)
    }

    private func identified(_ plan: DeletionPlan) -> DeletionPlan {
        var plan = plan
        plan.versions = plan.versions.map(ids.identified)
        return plan
    }

    /// `ENTITY/PROJECT` as its two parts.
    private static func split(_ project: String) -> (entity: String?, project: String) {
        guard let slash = project.firstIndex(of: "/") else { return (nil, project) }
        return (String(project[..<slash]), String(project[project.index(after: slash)...]))
    }
}

/// A request that never got an answer is one `r` may retry; anything the server answered is not.
extension ServerError: UnreachableStoreError {
    var isUnreachable: Bool {
        switch self {
        case .unreachable, .timedOut: true
        default: false
        }
    }
}
