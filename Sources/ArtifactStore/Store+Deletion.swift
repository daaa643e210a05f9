import Foundation

extension Store {
    /// What deleting these versions would free, exactly, without changing anything.
    public func deletionPlan(_ versions: [ArtifactVersion]) throws -> DeletionPlan {
        try catalog.deletionPlan(versionIDs: versions.map(\.id))
    }

    /// Deletes versions and frees the bytes nothing else uses, right away.
    ///
    /// Refused (and nothing deleted) while any of them has hand-set aliases, unless `deleteAliases`.
    /// `latest` never blocks a deletion: it moves back to the newest remaining version.
    @discardableResult
    public func delete(_ versions: [ArtifactVersion], deleteAliases: Bool = false) throws -> DeletionPlan {
        guard !versions.isEmpty else { return DeletionPlan(versions: [], freedBytes: 0, freedChunks: 0) }
        let outcome = try catalog.delete(versionIDs: versions.map(\.id), deleteAliases: deleteAliases)
        compact(packs: Set(outcome.packsToCompact))
        return outcome.plan
    }

    /// The versions `prune` would delete: committed, without hand-set aliases, not the newest
    /// (`latest` counts as an alias), and not among the `keepLast` newest of their artifact.
    public func prunePlan(project: String, artifact: String? = nil, keepLast: Int = 0) throws -> DeletionPlan {
        guard keepLast >= 0 else { throw StoreError.invalidArgument("--keep-last must be 0 or more, not \(keepLast)") }
        let names = try artifact.map { [$0] } ?? catalog.artifacts(project: project).map(\.name)
        var doomed: [ArtifactVersion] = []
        for name in names {
            let versions = try catalog.versions(
                project: project, name: name, states: [.committed], offset: 0, limit: .max)
            for (position, version) in versions.enumerated() where position >= keepLast && version.aliases.isEmpty {
                doomed.append(version)
            }
        }
        return try catalog.deletionPlan(versionIDs: doomed.map(\.id))
    }

    /// Deletes what `prunePlan` names and returns what went.
    @discardableResult
    public func prune(project: String, artifact: String? = nil, keepLast: Int = 0) throws -> DeletionPlan {
        let plan = try prunePlan(project: project, artifact: artifact, keepLast: keepLast)
        // Aliases may have been set since the plan was read; the catalog refuses those versions.
        return try delete(plan.versions, deleteAliases: false)
    }

    /// Rewrites packs so they hold only live chunks; removes packs that hold none.
    ///
    /// The new pack is durable before the catalog points at it, and the old pack is removed only after,
    /// so a crash leaves at worst an orphan pack that `verify --repair` removes.
    func compact(packs: Set<String>) {
        for key in packs.sorted() {
            try? compact(pack: key)
        }
    }

    private func compact(pack key: String) throws {
        let live = try catalog.liveChunks(packKey: key)
        if live.isEmpty {
            if try catalog.relocate([:], to: nil, from: key) { try objects.delete(key: key) }
            return
        }
        // One pack out for one pack in: the live part of a pack is never larger than the pack.
        let writer = PackWriter(objectStore: objects, targetSize: .max)
        let reader = try objects.reader(key: key)
        var moves: [String: ChunkLocation] = [:]
        var buffer = [UInt8]()
        do {
            for chunk in live {
                let length = Int(chunk.location.storedLength)
                if buffer.count < length { buffer = [UInt8](repeating: 0, count: length) }
                try buffer.withUnsafeMutableBytes {
                    try reader.read(offset: chunk.location.offset, length: length, into: $0)
                }
                let location = try buffer.withUnsafeBytes { raw -> ChunkLocation in
                    let record = UnsafeRawBufferPointer(rebasing: raw[0..<length])
                    let header = try PackRecordHeader(decoding: record)
                    let payload = UnsafeRawBufferPointer(rebasing: record[PackRecordHeader.size...])
                    return try writer.append(
                        digest: header.digest, rawLength: header.rawLength, payload: payload,
                        compression: header.compression)
                }
                moves[chunk.digest] = location
            }
        } catch {
            writer.discard()
            throw error
        }
        let stored = try writer.finish()
        guard let newPack = stored.first, stored.count == 1 else {
            deleteObjects(stored.map(\.key))
            return
        }
        if try catalog.relocate(moves, to: newPack, from: key) {
            try objects.delete(key: key)
        }
    }
}
