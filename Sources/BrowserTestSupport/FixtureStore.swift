import ArtifactStore
import BrowserCore
import Foundation

/// An in-memory `BrowserStore` for tests, the benchmark and the preview: three projects with
/// artifacts of several types, aliases, CJK and emoji, runs for lineage, a cache; optionally a
/// `stress/frames` artifact with any number of versions generated only when asked for.
public final class FixtureStore: BrowserStore, @unchecked Sendable {
    public let storePath: String
    private let lock = NSLock()
    private var items: [FixtureArtifact]
    private var cache: [CacheEntry]
    private var calls: [String] = []
    /// A lineage graph that replaces the fixture runs' (for the lineage benchmark), cut to depth as usual.
    private var lineageOverride: LineageGraph?
    private var afterNextVersionCount: (@Sendable () -> Void)?
    /// Version id of the first generated version; generated ids are this plus the index.
    static let generatedBaseID: Int64 = 1_000_000

    /// The standard fixture; `generatedVersions > 0` adds project `stress` with artifact `frames`.
    public init(storePath: String = "/tmp/fixture-store", generatedVersions: Int = 0) {
        self.storePath = storePath
        items = FixtureData.artifacts()
        if generatedVersions > 0 {
            items.append(FixtureArtifact(project: "stress", name: "frames", type: "dataset", description: "generated",
                                         versions: [], generatedCount: generatedVersions))
        }
        cache = [
            CacheEntry(project: "capsule-gpt", artifact: "model", bytes: 1_572_864_000, fileCount: 12),
            CacheEntry(project: "car-vision-project", artifact: "bike-dataset", bytes: 209_715_200, fileCount: 4800),
            CacheEntry(project: "car-vision-project", artifact: "detector", bytes: 98_566_144, fileCount: 3),
            CacheEntry(project: "多言語-nlp", artifact: "語彙-vocab", bytes: 2_097_152, fileCount: 2),
        ]
    }

    /// The fixture with its lineage replaced by `graph` (nodes and edges; `graph.root` is ignored).
    public static func withLineage(_ graph: LineageGraph) -> FixtureStore {
        let store = FixtureStore()
        store.locked { store.lineageOverride = graph }
        return store
    }

    /// An empty store: no projects at all.
    public static func empty(storePath: String = "/tmp/empty-store") -> FixtureStore {
        let store = FixtureStore(storePath: storePath)
        store.locked { store.items = []; store.cache = [] }
        return store
    }

    /// Names of the store calls made so far (`versions(stress/frames, 0, 64)`), to prove laziness.
    public var callLog: [String] { locked { calls } }

    /// Changes the store behind the browser's back, as another process would.
    public func externallyAddVersion(project: String, artifact: String) {
        locked {
            guard let i = items.firstIndex(where: { $0.project == project && $0.name == artifact }) else { return }
            let next = items[i].versions.count
            for j in items[i].versions.indices { items[i].versions[j].aliases.removeAll { $0 == Alias.latest } }
            items[i].versions.append(FixtureData.version(Int64(900 + next), project, artifact, items[i].type, next,
                                                         size: 1024, files: 1, added: 1024, aliases: ["latest"]))
        }
    }

    /// Adds an artifact with one version of `files` files behind the browser's back, as another process would.
    public func externallyAddArtifact(project: String, name: String, files: Int) {
        locked {
            let version = FixtureData.version(Int64(800 + items.count), project, name, "dataset", 0,
                                              size: 2048, files: files, added: 2048, aliases: ["latest"])
            items.append(FixtureArtifact(project: project, name: name, type: "dataset", description: "", versions: [version]))
        }
    }

    /// Deletes versions behind the browser's back, as another process would (`[]`: all of them).
    public func externallyDeleteVersions(project: String, artifact: String, indices: [Int] = []) {
        locked {
            guard let i = items.firstIndex(where: { $0.project == project && $0.name == artifact }) else { return }
            items[i].versions.removeAll { indices.isEmpty || indices.contains($0.index ?? -1) }
            fixLatest(i)
        }
    }

    // MARK: Reading

    public func projects() throws -> [ProjectSummary] {
        locked {
            calls.append("projects")
            return Dictionary(grouping: items, by: \.project).map { name, artifacts in
                ProjectSummary(name: name, artifactCount: artifacts.count, versionCount: artifacts.reduce(0) { $0 + $1.count },
                               size: artifacts.reduce(0) { $0 + $1.versions.reduce(0) { $0 + $1.size } }, createdAt: FixtureData.base)
            }.sorted { $0.name < $1.name }
        }
    }

    public func artifacts(project: String) throws -> [ArtifactSummary] {
        try locked {
            calls.append("artifacts(\(project))")
            let found = items.filter { $0.project == project }
            if found.isEmpty { throw StoreError.projectNotFound(project: project) }
            return found.map { item in
                ArtifactSummary(project: item.project, name: item.name, type: item.type, description: item.description,
                                versionCount: item.count, latestSize: item.versions.last?.size ?? 0,
                                storedBytes: item.versions.reduce(0) { $0 + $1.addedBytes } + Int64(item.generatedCount ?? 0) * 4096,
                                latestIndex: item.versions.last?.index ?? item.generatedCount.map { $0 - 1 },
                                updatedAt: item.versions.last?.createdAt ?? FixtureData.base)
            }
        }
    }

    public func versionCount(project: String, artifact: String) throws -> Int {
        let count = try locked { try item(project, artifact).count }
        let hook = locked { () -> (@Sendable () -> Void)? in
            defer { afterNextVersionCount = nil }
            return afterNextVersionCount
        }
        hook?()
        return count
    }

    /// Runs once right after the next version count is read: another process acting between
    /// the count and the pages the browser asks for next.
    public func afterNextCount(_ body: @escaping @Sendable () -> Void) {
        locked { afterNextVersionCount = body }
    }

    public func versions(project: String, artifact: String, offset: Int, limit: Int) throws -> [ArtifactVersion] {
        try locked {
            calls.append("versions(\(project)/\(artifact), \(offset), \(limit))")
            let item = try item(project, artifact)
            let end = min(item.count, offset + limit)
            guard offset < end else { return [] }
            if item.generatedCount == nil { return Array(item.versions.reversed()[offset..<end]) }
            return (offset..<end).map { newestFirst in versionAt(item, index: item.count - 1 - newestFirst) }
        }
    }

    public func versionOffset(project: String, artifact: String, index: Int) throws -> Int? {
        try locked {
            let item = try item(project, artifact)
            if item.generatedCount != nil { return index < item.count ? item.count - 1 - index : nil }
            let newestFirst = item.versions.reversed().map { $0.index ?? -1 }
            return newestFirst.firstIndex(of: index)
        }
    }

    public func version(id: Int64) throws -> ArtifactVersion {
        try locked { try find(id).version }
    }

    public func files(versionID: Int64, offset: Int, limit: Int) throws -> [ManifestEntry] {
        try locked {
            let version = try find(versionID).version
            let end = min(version.fileCount, offset + limit)
            guard offset < end else { return [] }
            let each = version.size / Int64(max(1, version.fileCount))
            return (offset..<end).map { n in
                // Every third file changes from version to version; the others keep their content.
                ManifestEntry(path: fileName(version, n), digest: Self.fixtureDigest(
                    "\(fileName(version, n))|\(each)|\(n % 3 == 1 ? version.index ?? 0 : -1)"), size: each)
            }
        }
    }

    private func fileName(_ version: ArtifactVersion, _ n: Int) -> String {
        switch version.type {
        case "model": return ["config.json", "model.safetensors", "tokenizer.json", "README.md"][n % 4]
        case "code": return "src/module_\(n).py"
        default: return String(format: "images/%05d.jpg", n)
        }
    }

    // MARK: Aliases and descriptions

    public func validateAlias(_ alias: String) throws {
        try Alias.validateManual(alias)
    }

    public func aliasHolder(project: String, artifact: String, alias: String) throws -> ArtifactVersion? {
        try locked {
            let item = try item(project, artifact)
            if let index = item.generatedAliases.first(where: { $0.value.contains { Alias.key($0) == Alias.key(alias) } })?.key {
                return versionAt(item, index: index)
            }
            return item.versions.first { $0.aliases.contains { Alias.key($0) == Alias.key(alias) } }
        }
    }

    public func addAlias(versionID: Int64, alias: String) throws {
        try Alias.validateManual(alias)
        try locked {
            let (i, j, version) = try find(versionID)
            if let j {
                for k in items[i].versions.indices { items[i].versions[k].aliases.removeAll { Alias.key($0) == Alias.key(alias) } }
                items[i].versions[j].aliases.append(alias)
                items[i].versions[j].aliases = sortedAliases(items[i].versions[j].aliases)
            } else {
                for key in items[i].generatedAliases.keys { items[i].generatedAliases[key]?.removeAll { Alias.key($0) == Alias.key(alias) } }
                items[i].generatedAliases[version.index!, default: []].append(alias)
            }
        }
    }

    public func removeAlias(versionID: Int64, alias: String) throws {
        try locked {
            let (i, j, version) = try find(versionID)
            guard version.aliases.contains(alias), alias != Alias.latest else {
                throw StoreError.aliasNotFound(artifact: "\(version.project)/\(version.name)", alias: alias)
            }
            if let j { items[i].versions[j].aliases.removeAll { $0 == alias } } else {
                items[i].generatedAliases[version.index!]?.removeAll { $0 == alias }
            }
        }
    }

    public func setDescription(versionID: Int64, text: String) throws {
        try locked {
            let (i, j, _) = try find(versionID)
            guard let j else { throw StoreError.invalidArgument("fixture: generated versions are read-only") }
            items[i].versions[j].description = text
        }
    }

    public func updateMetadata(versionID: Int64, changes: [MetadataChange]) throws {
        try locked {
            let (i, j, version) = try find(versionID)
            guard let j else { throw StoreError.invalidArgument("fixture: generated versions are read-only") }
            items[i].versions[j].metadata = try MetadataChange.apply(changes, to: version.metadata)
        }
    }

    /// Writes nothing (the fixture has no bytes); records the call and reports what `get` would.
    public func download(versionID: Int64, root: String?) throws -> DownloadSummary {
        try locked {
            let version = try find(versionID).version
            let directory = root ?? version.defaultDownloadDirectory
            calls.append("download(\(version.qualifiedName), \(directory))")
            return DownloadSummary(root: directory, files: version.fileCount, bytes: version.size)
        }
    }

    // MARK: Deleting

    public func deletionPreview(versionID: Int64) throws -> DeletionPreview {
        try locked {
            let version = try find(versionID).version
            return DeletionPreview(freedBytes: version.addedBytes, manualAliases: version.manualAliases)
        }
    }

    public func deleteVersion(versionID: Int64, deleteAliases: Bool) throws -> Int64 {
        try locked {
            let (i, j, version) = try find(versionID)
            guard let j else { throw StoreError.invalidArgument("fixture: generated versions are read-only") }
            if !deleteAliases, !version.manualAliases.isEmpty {
                throw StoreError.versionHasAliases(version: version.qualifiedName, aliases: version.manualAliases)
            }
            items[i].versions.remove(at: j)
            fixLatest(i)
            return version.addedBytes
        }
    }

    public func prunePreview(project: String, artifact: String?, keepLast: Int) throws -> DeletionPlan {
        try locked { try pruneCandidates(project: project, artifact: artifact, keepLast: keepLast) }
    }

    public func prune(project: String, artifact: String?, keepLast: Int) throws -> DeletionPlan {
        try locked {
            let plan = try pruneCandidates(project: project, artifact: artifact, keepLast: keepLast)
            let ids = Set(plan.versions.map(\.id))
            for i in items.indices where items[i].project == project {
                items[i].versions.removeAll { ids.contains($0.id) }
                fixLatest(i)
            }
            return plan
        }
    }

    private func pruneCandidates(project: String, artifact: String?, keepLast: Int) throws -> DeletionPlan {
        var chosen: [ArtifactVersion] = []
        let targets = items.filter { $0.project == project && (artifact == nil || $0.name == artifact) }
        if targets.isEmpty {
            if let artifact { throw StoreError.artifactNotFound(project: project, name: artifact) }
            throw StoreError.projectNotFound(project: project)
        }
        for item in targets where item.generatedCount == nil {
            let newestFirst = item.versions.reversed()
            chosen += newestFirst.dropFirst(keepLast).filter { $0.aliases.isEmpty }
        }
        return DeletionPlan(versions: chosen, freedBytes: chosen.reduce(0) { $0 + $1.addedBytes }, freedChunks: chosen.count)
    }

    // MARK: Lineage and cache

    public func lineage(versionID: Int64, up: Int, down: Int) throws -> LineageGraph {
        try locked {
            let version = try find(versionID).version
            let rootKey = "artifact:\(version.project)/\(version.name):\(version.versionName)"
            var edges: [LineageGraph.Edge] = lineageOverride?.edges ?? []
            for run in FixtureData.runs where lineageOverride == nil {
                for used in run.used { edges.append(.init(from: "artifact:\(used)", to: "run:\(run.id)")) }
                for logged in run.logged { edges.append(.init(from: "run:\(run.id)", to: "artifact:\(logged)")) }
            }
            // Breadth-first up to `up` hops against the edges and `down` hops along them.
            var into: [String: [String]] = [:], outOf: [String: [String]] = [:]
            for edge in edges {
                into[edge.to, default: []].append(edge.from)
                outOf[edge.from, default: []].append(edge.to)
            }
            var keep: Set<String> = [rootKey]
            var frontier: Set<String> = [rootKey]
            for _ in 0..<max(0, up) {
                frontier = Set(frontier.flatMap { into[$0] ?? [] }).subtracting(keep)
                keep.formUnion(frontier)
            }
            frontier = [rootKey]
            for _ in 0..<max(0, down) {
                frontier = Set(frontier.flatMap { outOf[$0] ?? [] }).subtracting(keep)
                keep.formUnion(frontier)
            }
            let overridden = Dictionary((lineageOverride?.nodes ?? []).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            let nodes: [LineageGraph.Node] = keep.sorted().compactMap { overridden[$0] ?? node(for: $0) }
            let present = Set(nodes.map(\.key))
            return LineageGraph(root: rootKey, nodes: nodes,
                                edges: edges.filter { present.contains($0.from) && present.contains($0.to) })
        }
    }

    public func runDetail(id: String) throws -> RunDetail {
        guard let run = FixtureData.runs.first(where: { $0.id == id }) else { throw StoreError.runNotFound(id: id) }
        let record = RunRecord(
            id: run.id, project: "car-vision-project", name: run.id, jobType: run.jobType,
            config: run.jobType == "train" ? ["lr": .double(0.001), "epochs": .int(20)] : [:],
            summary: run.jobType == "train" ? ["val_acc": .double(0.91)] : [:], state: .finished,
            startedAt: FixtureData.base, finishedAt: FixtureData.base.addingTimeInterval(3_600))
        return RunDetail(record: record, used: run.used, logged: run.logged)
    }

    private func node(for key: String) -> LineageGraph.Node? {
        if key.hasPrefix("run:") {
            let id = String(key.dropFirst(4))
            guard let run = FixtureData.runs.first(where: { $0.id == id }) else { return nil }
            return .run(id: id, name: id, jobType: run.jobType, state: "finished")
        }
        let address = key.dropFirst("artifact:".count)
        guard let slash = address.firstIndex(of: "/"), let colon = address.lastIndex(of: ":") else { return nil }
        let project = String(address[..<slash]), name = String(address[address.index(after: slash)..<colon])
        guard let index = Int(address[address.index(colon, offsetBy: 2)...]),
            let item = items.first(where: { $0.project == project && $0.name == name })
        else { return nil }
        let version = item.versions.first { $0.index == index }
        return .version(project: project, name: name, type: item.type, index: index,
                        aliases: version?.aliases ?? [], deleted: version == nil)
    }

    public func cacheSummary() throws -> CacheSummary {
        locked {
            CacheSummary(totalBytes: cache.reduce(0) { $0 + $1.bytes }, fileCount: cache.reduce(0) { $0 + $1.fileCount },
                         entries: cache.sorted { $0.bytes > $1.bytes })
        }
    }

    public func cacheCleanup(toAtMost bytes: Int64) throws -> CleanupResult {
        locked {
            var total = cache.reduce(0) { $0 + $1.bytes }
            var freed: Int64 = 0
            var files = 0
            // Evict whole artifacts, largest first, until under the limit.
            cache.sort { $0.bytes > $1.bytes }
            while total > bytes, !cache.isEmpty {
                let gone = cache.removeFirst()
                total -= gone.bytes
                freed += gone.bytes
                files += gone.fileCount
            }
            return CleanupResult(
                freedBytes: freed, removedFiles: files, remainingBytes: total,
                remainingFiles: cache.reduce(0) { $0 + $1.fileCount }, skippedPinnedFiles: 0)
        }
    }

    // MARK: Internals

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func item(_ project: String, _ artifact: String) throws -> FixtureArtifact {
        guard let found = items.first(where: { $0.project == project && $0.name == artifact }) else {
            throw StoreError.artifactNotFound(project: project, name: artifact)
        }
        return found
    }

    /// The artifact's position, the version's position (nil for a generated one) and the version.
    private func find(_ id: Int64) throws -> (artifact: Int, position: Int?, version: ArtifactVersion) {
        for (i, item) in items.enumerated() {
            if let j = item.versions.firstIndex(where: { $0.id == id }) { return (i, j, item.versions[j]) }
            if let count = item.generatedCount, id >= Self.generatedBaseID, id < Self.generatedBaseID + Int64(count) {
                return (i, nil, versionAt(item, index: Int(id - Self.generatedBaseID)))
            }
        }
        throw StoreError.versionNotFound(artifact: "?", reference: "id \(id)")
    }

    private func versionAt(_ item: FixtureArtifact, index: Int) -> ArtifactVersion {
        if item.generatedCount == nil { return item.versions[index] }
        var aliases = item.generatedAliases[index] ?? []
        if index == item.count - 1 { aliases.insert(Alias.latest, at: 0) }
        return FixtureData.version(Self.generatedBaseID + Int64(index), item.project, item.name, item.type, index,
                                   size: 4096 + Int64(index % 97) * 1024, files: 1 + index % 5, added: Int64(index % 13) * 512,
                                   description: "frame batch \(index)", metadata: ["batch": .int(Int64(index))],
                                   aliases: aliases, run: "gen-\(index / 1000)")
    }

    private func fixLatest(_ i: Int) {
        for j in items[i].versions.indices { items[i].versions[j].aliases.removeAll { $0 == Alias.latest } }
        if !items[i].versions.isEmpty {
            let last = items[i].versions.count - 1
            items[i].versions[last].aliases = sortedAliases(items[i].versions[last].aliases + [Alias.latest])
        }
    }

    private func sortedAliases(_ aliases: [String]) -> [String] {
        let rest = aliases.filter { $0 != Alias.latest }.sorted()
        return (aliases.contains(Alias.latest) ? [Alias.latest] : []) + rest
    }
}
