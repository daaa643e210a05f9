#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Uses of cached files, and files newly put into the cache, noted in memory while a `get` runs.
///
/// Kept compact, since a `get` of 100,000 files notes each of them: one list of digests per owner
/// rather than one set of owners per digest, and the rows preloaded for a pin kept as read, with the
/// pin's own digests saying which files have no row, rather than an entry for every digest.
struct DeferredUses {
    /// Open `deferringUses` scopes; uses are written when the last one ends.
    var depth = 0
    /// The newest use of each file: the signature to record (after a hard link), or nil to keep the row's.
    var uses: [String: FileSignature?] = [:]
    /// The files each owner used, in the order of use, a file used twice listed twice: appended under
    /// the lock each worker of a `get` takes per file, where a set's insert hashed every digest again.
    var owners: [CacheOwner: [String]] = [:]
    /// Files moved into `obj/` whose rows are not written yet, with the signature each had right
    /// after its move (updated by later uses). This process sees their rows as these.
    var inserted: [String: FileSignature] = [:]
    /// Rows this process changed otherwise: a digest mapped to nil has no row (evicted).
    var known: [String: CacheIndex.Entry?] = [:]
    /// The rows of pinned files read up front, with the pin's digests: a pinned digest without
    /// a row here has none. A pinned row cannot be evicted by a cleanup, and a row another process
    /// changed meanwhile only shows as a signature mismatch, which hashes the file again.
    var preloads: [(pinned: Set<String>, rows: [String: CacheIndex.Entry])] = []

    /// The row of `digest` as this process sees it: `.some(nil)` when it has none, nil when only the
    /// index can say.
    func entry(_ digest: String) -> CacheIndex.Entry?? {
        // Each lookup hashes the 64-character digest: the empty tables (all of them but the preload's,
        // in a get of a cached version) are not asked.
        if !inserted.isEmpty, let signature = inserted[digest] {
            return .some(CacheIndex.Entry(digest: digest, size: signature.size, signature: signature, lastUsed: 0))
        }
        if !known.isEmpty, let known = known[digest] { return .some(known) }
        // A row first (a hard-link get finds one for every file); the pinned digests only for a
        // digest without one.
        for preload in preloads {
            if let row = preload.rows[digest] { return .some(row) }
        }
        for preload in preloads where preload.pinned.contains(digest) { return .some(nil) }
        return nil
    }

    /// Notes a new signature of `digest`'s row, wherever this process keeps it.
    mutating func update(_ digest: String, signature: FileSignature) {
        if !inserted.isEmpty, inserted[digest] != nil {
            inserted[digest] = signature
        } else if !known.isEmpty, let known = known[digest] {
            if var entry = known {
                entry.signature = signature
                self.known[digest] = entry
            }
        } else {
            for index in preloads.indices {
                preloads[index].rows[digest]?.signature = signature
            }
        }
    }

    /// Notes a use by `owner`, with the file's new signature when it changed (after a hard link).
    mutating func use(_ digest: String, owner: CacheOwner?, signature: FileSignature?) {
        if let signature {
            uses[digest] = signature
            update(digest, signature: signature)
        } else if uses[digest] == nil {
            uses[digest] = .some(nil)
        }
        if let owner { owners[owner, default: []].append(digest) }
    }
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
        let preloaded = try pin.map { pin in try index.pool.read { try CacheIndex.entries($0, digests: pin.digests) } }
        deferredUses.withLock { state in
            state.depth += 1
            if let preloaded, let pin {
                state.preloads.append((pin.digestSet, preloaded))
                // Each preloaded row is about to be used once: room for all of them now, so the table
                // is not rehashed as it grows, under the lock the other worker is waiting on.
                state.uses.reserveCapacity(state.uses.count + preloaded.count)
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
            state.use(digest, owner: owner, signature: signature)
            return true
        }
        if deferred { return true }
        return try index.pool.write { db in
            try CacheIndex.touch(db, digest: digest, signature: signature, owner: owner)
        }
    }

    /// The row of a file as this process sees it: a deferred insert's, or the index's.
    func knownEntry(digest: String) throws -> CacheIndex.Entry? {
        if let known = deferredUses.withLock({ $0.entry(digest) }) { return known }
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
            state.known[digest] = nil
            // Its row, written at the end, is its use: only the owner is noted besides.
            if let owner { state.owners[owner, default: []].append(digest) }
            return true
        }
    }

    /// Forgets, while deferring, a file being evicted; returns the signature of its deferred insert, if any.
    func forgetDeferred(digest: String) -> FileSignature? {
        deferredUses.withLock { state in
            guard state.depth > 0 else { return nil }
            state.known[digest] = .some(nil)
            state.uses[digest] = nil
            // Rare (a damaged file found during a get), so a walk of each owner's list will do.
            for owner in state.owners.keys { state.owners[owner]?.removeAll { $0 == digest } }
            return state.inserted.removeValue(forKey: digest)
        }
    }

    private func flushDeferredUses() throws {
        let (uses, owners, inserted) = deferredUses.withLock { state in
            state.depth -= 1
            guard state.depth == 0 else {
                return ([String: FileSignature?](), [CacheOwner: [String]](), [String: FileSignature]())
            }
            defer { state = DeferredUses() }
            return (state.uses, state.owners, state.inserted)
        }
        guard !uses.isEmpty || !inserted.isEmpty else { return }
        do {
            try writeDeferred(uses: uses, owners: owners, inserted: inserted)
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
        uses: [String: FileSignature?], owners: [CacheOwner: [String]], inserted: [String: FileSignature]
    ) throws {
        try index.pool.write { db in try CacheIndex.withLargePageCache(db) {
            // A get of 20,000 cached files changes every page of the index in this transaction: in
            // SQLite's 2 MB page cache they were spilled to the WAL and read back, 41,000 `pread`s
            // (strace) for a 9 MB index.
            // In digest order: the use clock gives each file its place in the eviction order, and a
            // dictionary's order changes from run to run, so the same gets followed by the same
            // cleanup would evict different files (and the same command against a server and
            // locally would report different sizes). Sorting 20,000 digests costs a few milliseconds.
            try CacheIndex.record(db, ByteOrder.sorted(inserted.keys).map { (digest: $0, signature: inserted[$0]!) })
            // The uses as one row, not one update of `entry_lastUsed` per file (see CacheIndex+UseSets).
            try CacheIndex.noteUses(db, ByteOrder.sorted(uses.keys).map { (digest: $0, signature: uses[$0]!) })
            for (owner, digests) in owners where !digests.isEmpty {
                try CacheIndex.addOwner(db, owner, digests: digests)
            }
        } }
    }
}
