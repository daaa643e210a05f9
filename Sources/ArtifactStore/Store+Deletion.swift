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
        // Packs an earlier deletion left half-done (a rewrite or a delete the object store failed) are retried.
        let earlier = (try? catalog.packsToCompact().map(\.key)) ?? []
        var plan = outcome.plan
        let left = compact(packs: Set(outcome.packsToCompact).union(earlier))
        plan.packsLeft = left.count
        plan.objectStoreError = left.min { $0.key < $1.key }.map { FileSystem.reason(of: $0.value) }
        return plan
    }

    /// The versions `prune` would delete: committed, without hand-set aliases, not the newest
    /// (`latest` counts as an alias), and not among the `keepLast` newest of their artifact.
    public func prunePlan(project: String, artifact: String? = nil, keepLast: Int = 0) throws -> DeletionPlan {
        // The command lines and the server refuse a negative count first, each naming it as its caller
        // spelled it; this guards other callers of the library, in the words of every other refusal of a number.
        try NumberRule.count.check(keepLast, for: "keep-last")
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

    /// Rewrites packs so they hold only live chunks; removes packs that hold none. Returns the packs
    /// it could not finish, with why (the object store failed or hung): they stay listed in the
    /// catalog with their dead bytes, which `verify` reports as reclaimable.
    ///
    /// The new pack is durable before the catalog points at it, and the old pack is forgotten by the
    /// catalog only after its object is deleted: a crash or a failing object store leaves at worst an
    /// emptied pack the catalog still lists (the next deletion deletes it again) or an orphan new pack
    /// that `verify --repair` removes, never a pack in the bucket that nothing remembers.
    ///
    /// Once the object store itself fails (`ObjectStoreFailure.isOutage`: down or hung), the packs after
    /// that one are left at once with the same error: each would wait out the same limit (3 s a pack on
    /// a hung bucket, 27 s for a version of 9 packs), and the next deletion retries them all.
    @discardableResult
    func compact(packs: Set<String>) -> [String: any Error] {
        var left: [String: any Error] = [:]
        var outage: (any Error)?
        /// Runs `body` for the pack unless the object store is already known to be out; records why not.
        func attempt(_ key: String, _ body: () throws -> Void) -> Bool {
            if let outage {
                left[key] = outage
                return false
            }
            do {
                try body()
                return true
            } catch {
                left[key] = error
                if (error as? ObjectStoreFailure)?.isOutage == true { outage = error }
                return false
            }
        }
        // Packs a deletion emptied need no rewrite: their objects go, then the catalog forgets them all in
        // one transaction (one commit per pack was most of a large prune's time: a sync each).
        let emptied = (try? catalog.emptyPacks(among: packs.sorted())) ?? []
        let deleted = emptied.sorted().filter { key in attempt(key) { try objects.delete(key: key) } }
        do {
            try catalog.forgetPacks(keys: deleted)
        } catch {
            for key in deleted { left[key] = error }
        }
        for key in packs.subtracting(emptied).sorted() {
            _ = attempt(key) { try compact(pack: key) }
        }
        return left
    }

    private func compact(pack key: String) throws {
        let live = try catalog.liveChunks(packKey: key)
        // Emptied since `emptyPacks` was asked (another process's compaction finished first).
        if live.isEmpty {
            if try catalog.relocate([:], to: nil, from: key) { try deleteEmptied(pack: key) }
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
            try deleteEmptied(pack: key)
        }
    }

    /// Deletes a pack that holds no chunk from the object store, then from the catalog.
    func deleteEmptied(pack key: String) throws {
        try objects.delete(key: key)
        try catalog.forgetPacks(keys: [key])
    }
}
