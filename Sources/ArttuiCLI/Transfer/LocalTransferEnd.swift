import ArtifactStore
import ArtifactWire
import Foundation
import Synchronization

/// A project of the local (embedded) store as one side of a push or pull.
final class LocalTransferEnd: TransferEnd {
    let store: Store
    let project: String
    /// Where the packs of a version being pulled here are remembered until it commits.
    private let pulls: InterruptedPulls

    /// The project `project` of `store`; `cacheDirectory` keeps the packs of unfinished pulls.
    init(store: Store, project: String, cacheDirectory: URL) {
        self.store = store
        self.project = project
        pulls = InterruptedPulls(cacheDirectory: cacheDirectory)
    }

    var place: String { "in the local store" }
    var projectName: String { project }

    func versions(of artifact: String, reference: String?) throws -> [WireVersion] {
        if let reference {
            return [WireVersion(try store.version(ArtifactAddress(parsing: "\(project)/\(artifact):\(reference)")))]
        }
        return try store.versions(of: project, artifact, offset: 0, limit: .max).map { WireVersion($0) }
            .sorted { ($0.index ?? 0) < ($1.index ?? 0) }
    }

    func pendingVersionCount(of artifact: String) throws -> Int {
        do {
            return try store.versions(of: project, artifact, includePending: true).count { $0.state == .pending }
        } catch StoreError.artifactNotFound {
            return 0
        } catch StoreError.projectNotFound {
            return 0
        }
    }

    func manifest(of version: WireVersion) throws -> WireManifest {
        let local = try localVersion(version)
        let chunks = try store.catalog.chunkLocations(versionID: local.id)
        return WireManifest(version: version, files: try store.files(of: local), chunkLists: chunks)
    }

    func run(id: String) throws -> WireRun? {
        do {
            return WireRun(try store.run(id: id).record)
        } catch StoreError.runNotFound {
            return nil
        }
    }

    func runsUsing(_ version: WireVersion) throws -> [String] {
        try store.usedBy(localVersion(version)).map(\.id)
    }

    func recordSource(for version: WireVersion, manifest: WireManifest) throws -> @Sendable () -> any ChunkRecordSource {
        let chunks = try store.catalog.chunkLocations(versionID: localVersion(version).id).values.joined()
        let locations = Dictionary(chunks.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })
        return { [store] in StoredChunkRecords(reader: StoredRecordReader(objects: store.objects), locations: locations) }
    }

    func prepareProject() throws -> String? {
        _ = try NameRules.validateProject(project)
        return nil
    }

    func missingChunks(_ digests: [String]) throws -> [String] {
        // 64-bit prefixes: a false match is vanishingly rare, and the commit checks every chunk by
        // full digest (a miss then is fetched and the commit tried again).
        let held = try store.catalog.chunkDigestPrefixes()
        return digests.filter { digest in
            let prefix = (Hex.decode(String(digest.prefix(16))) ?? []).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            return !held.contains(prefix)
        }
    }

    func importVersion(
        _ request: CommitRequest, sending digests: [String], size: @escaping (String) -> Int,
        from source: @escaping @Sendable () -> any ChunkRecordSource
    ) throws -> (commit: CommitResponse, chunks: Int, bytes: Int64) {
        let key = InterruptedPulls.Key(store: store.directory.path, digest: Store.manifestDigest(request.files))
        // What an interrupted run of this pull staged is committed, not received again: restaged as a new
        // pack, so no two runs share one. A pack that is gone (`verify --repair`, another run) or damaged
        // is simply received again; one a commit used after all needs nothing.
        var staged = pulls.packs(for: key).compactMap { try? store.restage(packKey: $0, maxRawLength: Int(UInt32.max)) }
        let held = Set(staged.flatMap(\.chunks).map(\.digest))
        pulls.remember(staged.map(\.pack.key), for: key)
        var chunks = 0
        var bytes: Int64 = 0
        var toSend = digests.filter { !held.contains($0) }
        let upload = request.uploadedVersion
        for _ in 1...2 {
            // Each pack is remembered as soon as it is staged: a run killed at any point (Ctrl-C, kill -9)
            // leaves what it received for the next one.
            let received = receive(toSend, size: size, from: source) { [pulls, staged] packs in
                pulls.remember((staged + packs).map(\.pack.key), for: key)
            }
            staged += received.packs
            if let failure = received.failure { throw failure }
            chunks += toSend.count
            bytes += received.bytes
            switch try store.commit(
                upload, project: project, stagedChunks: staged.flatMap(\.chunks), packs: staged.map(\.pack))
            {
            case let .committed(result):
                pulls.forget(key)
                return (CommitResponse(created: result.created, version: WireVersion(result.version)), chunks, bytes)
            case let .missingChunks(missing):
                toSend = missing.sorted()
            }
        }
        throw CommandFailure(message: "the local store kept missing chunks of \(request.artifact); run the pull again")
    }

    /// Fetches the records of `digests` in packs of about 16 MiB, two at a time, and stages each pack,
    /// calling `staged` with every pack staged so far after each; on a failure, the packs staged before
    /// it and the failure.
    private func receive(
        _ digests: [String], size: (String) -> Int, from source: @escaping @Sendable () -> any ChunkRecordSource,
        staged: @escaping @Sendable ([StagedPack]) -> Void
    ) -> (packs: [StagedPack], bytes: Int64, failure: Error?) {
        var groups: [[String]] = []
        var current: [String] = []
        var currentSize = 0
        for digest in digests {
            if !current.isEmpty && currentSize + size(digest) > 16 << 20 {
                groups.append(current)
                current = []
                currentSize = 0
            }
            current.append(digest)
            currentSize += size(digest)
        }
        if !current.isEmpty { groups.append(current) }
        let next = Atomic<Int>(0)
        let state = Mutex((packs: [StagedPack](), bytes: Int64(0), failure: Error?.none))
        let list = groups
        let store = self.store
        let stagedSoFar = staged
        WorkerThreads.run(min(2, max(1, groups.count))) { _ in
            let records = source()
            while state.withLock({ $0.failure == nil }) {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < list.count else { break }
                do {
                    var pack: [UInt8] = []
                    try records.appendRecords(of: list[index], to: &pack)
                    let staged = try store.stage(pack: Data(pack), maxRawLength: Int(UInt32.max))
                    state.withLock {
                        $0.packs.append(staged)
                        $0.bytes += Int64(pack.count)
                        stagedSoFar($0.packs)
                    }
                } catch {
                    state.withLock { if $0.failure == nil { $0.failure = error } }
                }
            }
        }
        let final = state.withLock { $0 }
        return (final.packs, final.bytes, final.failure)
    }

    func ensureRun(_ run: WireRun) throws -> RunPlacement {
        // Run ids are global in a store, and a local run may be used from any project.
        if try self.run(id: run.id) != nil { return .present }
        let created = try store.startRun(
            project: project, id: run.id, resume: .never, name: run.name, group: run.group, jobType: run.jobType,
            sweep: run.sweep, config: run.config)
        if let state = RunState(rawValue: run.state), state != .running {
            try created.finish(state: state, summary: run.summary)
        } else if !run.summary.isEmpty {
            try created.log(run.summary)
        }
        return .created
    }

    func recordUse(runID: String, of version: WireVersion) throws {
        try store.run(id: runID).useArtifact(localVersion(version))
    }

    func setAlias(_ alias: String, on version: WireVersion) throws {
        _ = try store.addAlias(alias, to: localVersion(version))
    }

    private func localVersion(_ version: WireVersion) throws -> ArtifactVersion {
        try store.version(ArtifactAddress(parsing: "\(project)/\(version.name):\(version.version)"))
    }
}

/// Records of a local version's chunks, read from the store's packs as stored.
final class StoredChunkRecords: ChunkRecordSource {
    private let reader: StoredRecordReader
    private let locations: [String: StoredChunk]

    init(reader: StoredRecordReader, locations: [String: StoredChunk]) {
        self.reader = reader
        self.locations = locations
    }

    func appendRecords(of digests: [String], to pack: inout [UInt8]) throws {
        for digest in digests {
            guard let chunk = locations[digest] else {
                throw StoreError.corruptData(what: "chunk \(digest.prefix(12))", detail: "the local store does not hold it")
            }
            try reader.append(chunk, to: &pack)
        }
    }
}
