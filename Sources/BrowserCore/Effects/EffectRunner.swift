import ArtifactStore

/// Performs effects against a store and turns the outcome into events.
///
/// Synchronous: the terminal backend calls it on worker threads, tests call it inline.
public struct EffectRunner: Sendable {
    /// The store worked on.
    public let store: any BrowserStore

    /// Creates a runner.
    public init(store: any BrowserStore) {
        self.store = store
    }

    /// Performs one effect; `isCancelled` is polled by long loops. `.cancel` and `.quit` are
    /// handled by the caller and produce nothing here.
    public func run(_ effect: Effect, isCancelled: () -> Bool = { false }) -> [Event] {
        switch effect {
        case let .loadProjects(generation):
            return [.projectsLoaded(generation: generation, attempt { try store.projects() })]
        case let .loadArtifacts(project, generation):
            return [.artifactsLoaded(generation: generation, project: project, attempt { try store.artifacts(project: project) })]
        case let .loadVersionCount(key, generation):
            return [.versionCountLoaded(generation: generation, key, attempt {
                try store.versionCount(project: key.project, artifact: key.artifact)
            })]
        case let .loadVersionPage(key, page, generation):
            return [.versionPageLoaded(generation: generation, key, page: page, attempt {
                try store.versions(project: key.project, artifact: key.artifact,
                                   offset: page * VersionList.pageSize, limit: VersionList.pageSize)
            })]
        case let .loadFiles(versionID, offset, generation):
            return [.filesLoaded(generation: generation, versionID: versionID, offset: offset, attempt {
                try store.files(versionID: versionID, offset: offset, limit: FileList.pageSize)
            })]
        case let .checkAlias(ticket, version, alias):
            return [.aliasChecked(ticket: ticket, attempt {
                try store.validateAlias(alias)
                return try store.aliasHolder(project: version.project, artifact: version.name, alias: alias)
            })]
        case let .addAlias(ticket, version, alias):
            return [.storeChanged(ticket: ticket, attempt {
                try store.addAlias(versionID: version.id, alias: alias)
                return "\(version.versionName) is now \(alias)"
            })]
        case let .removeAlias(ticket, version, alias):
            return [.storeChanged(ticket: ticket, attempt {
                try store.removeAlias(versionID: version.id, alias: alias)
                return "removed alias \(alias) from \(version.versionName)"
            })]
        case let .setDescription(ticket, version, text):
            return [.storeChanged(ticket: ticket, attempt {
                try store.setDescription(versionID: version.id, text: text)
                return "description of \(version.versionName) saved"
            })]
        case let .refreshVersion(ticket, version, action):
            return [.versionRefreshed(ticket: ticket, version: version, then: action, attempt {
                do {
                    let current = try store.version(id: version.id)
                    return current.state == .committed ? current : nil
                } catch StoreError.versionNotFound {
                    return nil
                }
            })]
        case let .updateMetadata(ticket, version, changes):
            return [.storeChanged(ticket: ticket, attempt {
                try store.updateMetadata(versionID: version.id, changes: changes)
                return "metadata of \(version.versionName) saved"
            })]
        case let .download(ticket, version, root):
            return [.downloaded(ticket: ticket, attempt { try store.download(versionID: version.id, root: root) })]
        case let .previewDeletion(ticket, version):
            return [.deletionPreviewed(ticket: ticket, attempt { try store.deletionPreview(versionID: version.id) })]
        case let .deleteVersion(ticket, version, deleteAliases):
            return [.storeChanged(ticket: ticket, attempt {
                let freed = try store.deleteVersion(versionID: version.id, deleteAliases: deleteAliases)
                return "deleted \(version.qualifiedName), freed \(ByteSize.format(freed)) (\(Formatting.counted(Int(freed), "byte")))"
            })]
        case let .previewPrune(ticket, project, artifact, keepLast):
            return [.prunePreviewed(ticket: ticket, keepLast: keepLast, attempt {
                try store.prunePreview(project: project, artifact: artifact, keepLast: keepLast)
            })]
        case let .prune(ticket, project, artifact, keepLast):
            return [.storeChanged(ticket: ticket, attempt {
                let done = try store.prune(project: project, artifact: artifact, keepLast: keepLast)
                return "pruned \(Formatting.counted(done.versions.count, "version")), freed \(ByteSize.format(done.freedBytes)) (\(Formatting.counted(Int(done.freedBytes), "byte")))"
            })]
        case let .loadLineage(ticket, version, depth):
            return [.lineageLoaded(ticket: ticket, attempt { try store.lineage(versionID: version.id, up: depth, down: depth) })]
        case let .loadRun(ticket, id):
            return [.runLoaded(ticket: ticket, attempt { try store.runDetail(id: id) })]
        case let .locateVersion(ticket, key, index):
            return [.versionLocated(ticket: ticket, key, attempt {
                try store.versionOffset(project: key.project, artifact: key.artifact, index: index)
            })]
        case let .measureCache(ticket):
            return [.cacheMeasured(ticket: ticket, attempt { try store.cacheSummary() })]
        case let .cleanCache(ticket, bytes):
            return [.cacheCleaned(ticket: ticket, attempt { try store.cacheCleanup(toAtMost: bytes) })]
        case let .filterVersions(ticket, key, needle):
            return [.versionsFiltered(ticket: ticket, key, needle: needle, attempt {
                try scan(key, needle: needle, isCancelled: isCancelled)
            })]
        case let .loadDiff(ticket, target, base):
            return [.diffLoaded(ticket: ticket, attempt {
                let resolved = try resolve(base, of: target)
                return try store.diff(baseID: resolved.id, targetID: target.id)
            })]
        case let .loadPatch(ticket, diff, change):
            return [.patchLoaded(ticket: ticket, path: change.path, attempt { try store.patch(for: change, in: diff) })]
        case let .search(ticket, search):
            return [.searchFinished(ticket: ticket, attempt { try store.find(search) })]
        case .cancel, .quit, .runEditor:
            return []
        }
    }

    /// The version a diff compares with: the one before, the marked one, or a typed `vN`,
    /// `latest` or alias of the target's artifact.
    private func resolve(_ base: DiffBase, of target: ArtifactVersion) throws -> ArtifactVersion {
        switch base {
        case .version(let version):
            return version
        case .previous:
            guard let previous = try store.previousVersion(versionID: target.id) else {
                throw StoreFailure(message: "\(target.versionName) is the first version; mark another with m to diff against")
            }
            return previous
        case .reference(let reference):
            let (project, artifact) = (target.project, target.name)
            let lowered = reference.lowercased()
            if lowered == "latest" {
                guard let newest = try store.versions(project: project, artifact: artifact, offset: 0, limit: 1).first else {
                    throw StoreFailure(message: "\(project)/\(artifact) has no versions")
                }
                return newest
            }
            if lowered.hasPrefix("v"), let index = Int(lowered.dropFirst()), lowered.dropFirst().allSatisfy(\.isWholeNumber) {
                guard let offset = try store.versionOffset(project: project, artifact: artifact, index: index),
                    let version = try store.versions(project: project, artifact: artifact, offset: offset, limit: 1).first
                else {
                    throw StoreFailure(message: "\(project)/\(artifact) has no version \(reference)")
                }
                return version
            }
            guard let holder = try store.aliasHolder(project: project, artifact: artifact, alias: reference) else {
                throw StoreFailure(message: "no version of \(project)/\(artifact) has the alias \(reference)")
            }
            return holder
        }
    }

    /// Pages through an artifact's versions collecting matches; stops early when cancelled.
    private func scan(_ key: ArtifactKey, needle: String, isCancelled: () -> Bool) throws -> [ArtifactVersion] {
        let chunk = 1000
        var offset = 0
        var matches: [ArtifactVersion] = []
        while !isCancelled() {
            let page = try store.versions(project: key.project, artifact: key.artifact, offset: offset, limit: chunk)
            matches += page.filter { VersionMatcher.matches($0, needle) }
            if page.count < chunk { break }
            offset += chunk
        }
        return matches
    }

    private func attempt<T>(_ body: () throws -> T) -> Result<T, StoreFailure> {
        do { return .success(try body()) } catch { return .failure(StoreFailure(error)) }
    }
}
