#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Uses of cached files, and files newly put into the cache, noted in memory while a `get` runs.
struct DeferredUses {
    /// Open `deferringUses` scopes; uses are written when the last one ends.
    var depth = 0
    /// The newest use of each file: the signature to record (after a hard link) and who used it.
    var uses: [String: (signature: FileSignature?, owners: Set<CacheOwner>)] = [:]
    /// Files moved into `obj/` whose rows are not written yet, with the signature each had right
    /// after its move.
    var inserted: [String: FileSignature] = [:]
    /// The rows as this process sees them while deferring: those preloaded for a pin, updated by its
    /// own inserts, uses and evictions; a digest mapped to nil has no row. Digests not here are
    /// looked up in the index. A pinned row cannot be evicted by a cleanup, and a row another
    /// process changed meanwhile only shows as a signature mismatch, which hashes the file again.
    var known: [String: CacheIndex.Entry?] = [:]
}

extension FileCache {
    /// Runs `body` noting each use of a cached file, and each file inserted, in memory, and writes them
    /// all to the index in one transaction at the end, instead of one transaction per file.
    ///
    /// Only for callers that pinned the files they use and insert (as `get` does): a deferred use
    /// cannot notice that an unpinned file was evicted meanwhile, and the pin is what lets
    /// ``cleanup(toAtMost:dryRun:unlinkLater:)`` remove a file whose row was never written because its process
    /// died first.
    ///
    /// With `pin`, the rows of the pinned files are read in one query up front instead of one by one.
    public func deferringUses<T>(preloading pin: CachePin? = nil, _ body: () throws -> T) throws -> T {
        let preloaded = try pin.map { pin in try index.pool.read { try CacheIndex.entries($0, pinToken: pin.token) } }
        deferredUses.withLock { state in
            state.depth += 1
            guard let preloaded, let pin else { return }
            for digest in pin.digests where state.known[digest] == nil {
                state.known[digest] = .some(preloaded[digest])
            }
        }
        let result: T
        do {
            result = try body()
        } catch {
            try? flushDeferredUses()
            throw error
        }
        try flushDeferredUses()
        return result
    }

    /// Marks a file used now, or notes the use for the end of `deferringUses`.
    /// Returns false when the file's row is gone (it was evicted), which only an immediate use can tell.
    func recordUse(digest: String, signature: FileSignature?, owner: CacheOwner?) throws -> Bool {
        let deferred = deferredUses.withLock { state -> Bool in
            guard state.depth > 0 else { return false }
            var use = state.uses[digest] ?? (nil, [])
            if let signature {
                use.signature = signature
                if state.inserted[digest] != nil { state.inserted[digest] = signature }
                if let known = state.known[digest], var entry = known {
                    entry.signature = signature
                    state.known[digest] = entry
                }
            }
            if let owner { use.owners.insert(owner) }
            state.uses[digest] = use
            return true
        }
        if deferred { return true }
        return try index.pool.write { db in
            try CacheIndex.touch(db, digest: digest, signature: signature, owner: owner)
        }
    }

    /// The row of a file as this process sees it: a deferred insert's, or the index's.
    func knownEntry(digest: String) throws -> CacheIndex.Entry? {
        if let known = deferredUses.withLock({ $0.known[digest] }) { return known }
        return try index.pool.read { try CacheIndex.entry($0, digest: digest) }
    }

    /// Notes, while deferring, a file just moved into the cache; its row is written at the end.
    /// Returns false when no `deferringUses` scope is open.
    func noteDeferredInsert(digest: String, owner: CacheOwner?, move: () throws -> FileSignature) throws -> Bool {
        try deferredUses.withLock { state in
            guard state.depth > 0 else { return false }
            // Moved under the lock, so that two threads inserting one digest note the file that stays.
            let signature = try move()
            state.inserted[digest] = signature
            state.known[digest] = CacheIndex.Entry(digest: digest, size: signature.size, signature: signature, lastUsed: 0)
            if let owner {
                var use = state.uses[digest] ?? (nil, [])
                use.owners.insert(owner)
                state.uses[digest] = use
            }
            return true
        }
    }

    /// Forgets, while deferring, a file being evicted; returns the signature of its deferred insert, if any.
    func forgetDeferred(digest: String) -> FileSignature? {
        deferredUses.withLock { state in
            guard state.depth > 0 else { return nil }
            state.known[digest] = .some(nil)
            state.uses[digest] = nil
            return state.inserted.removeValue(forKey: digest)
        }
    }

    private func flushDeferredUses() throws {
        let (uses, inserted) = deferredUses.withLock { state in
            state.depth -= 1
            guard state.depth == 0 else {
                return ([String: (signature: FileSignature?, owners: Set<CacheOwner>)](), [String: FileSignature]())
            }
            defer {
                state.uses = [:]
                state.inserted = [:]
                state.known = [:]
            }
            return (state.uses, state.inserted)
        }
        guard !uses.isEmpty || !inserted.isEmpty else { return }
        do {
            try writeDeferred(uses: uses, inserted: inserted)
            index.trimWriteAheadLog()
        } catch {
            // The files without rows would be counted nowhere and, once the pin is released, found
            // by no cleanup: take them out again.
            for (digest, signature) in inserted {
                let path = objectPath(digest)
                if (try? FileSignature.of(path: path))??.inode == signature.inode { unlink(path) }
            }
            throw error
        }
    }

    private func writeDeferred(
        uses: [String: (signature: FileSignature?, owners: Set<CacheOwner>)], inserted: [String: FileSignature]
    ) throws {
        try index.pool.write { db in
            try CacheIndex.record(db, inserted.sorted { $0.key < $1.key }.map { (digest: $0.key, signature: $0.value) })
            let touches = uses.sorted { $0.key < $1.key }
            try CacheIndex.touch(db, touches.map { (digest: $0.key, signature: $0.value.signature) })
            var byOwner: [CacheOwner: [String]] = [:]
            for (digest, use) in touches {
                for owner in use.owners { byOwner[owner, default: []].append(digest) }
            }
            for (owner, digests) in byOwner { try CacheIndex.addOwner(db, owner, digests: digests) }
        }
    }
}
