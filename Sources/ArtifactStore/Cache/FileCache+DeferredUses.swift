#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Uses of cached files, and files newly put into the cache, noted in memory while a `get` runs.
///
/// Kept compact, since a `get` of 100,000 files notes each of them: the rows preloaded for a pin, and
/// the uses of those files, and the files this process inserts, are arrays in the pin's byte order (see
/// ``Preload``); only files no pin names go into tables keyed by digest.
struct DeferredUses {
    /// Open `deferringUses` scopes; uses are written when the last one ends.
    var depth = 0
    /// The newest use of each file that no preload holds a row for: the signature to record (after a
    /// hard link), or nil to keep the row's.
    var uses: [String: FileSignature?] = [:]
    /// The files each owner used that no preload notes, in the order of use, a file used twice listed
    /// twice (an array's append, where a set's insert hashed every digest again).
    var owners: [CacheOwner: [String]] = [:]
    /// Files no preload holds that were moved into `obj/` and whose rows are not written yet, with the
    /// signature each had right after its move (updated by later uses). This process sees their rows
    /// as these. (A pinned file's insert is a mark in its preload: a table of 100,000 of them held
    /// 12 MiB at the end of a get.)
    var inserted: [String: FileSignature] = [:]
    /// Rows this process changed otherwise: a digest mapped to nil has no row (evicted).
    var known: [String: CacheIndex.Entry?] = [:]
    /// The rows of pinned files read up front.
    var preloads: [Preload] = []

    /// The rows of a pin's files, read up front, and this process's uses of them, by position in the
    /// pin's byte order: the end of the `get` finds the uses, and the owner's files, already in the
    /// order the index writes them (three sorts of 20,000 digests before), and a use hashes neither its
    /// digest nor its owner.
    ///
    /// A pinned row cannot be evicted by a cleanup, and a row another process changed meanwhile only
    /// shows as a signature mismatch, which hashes the file again. A pinned digest without a row has none.
    struct Preload {
        /// The pinned digests, in byte order.
        let digests: [String]
        /// The first eight bytes of each digest as a big-endian integer, in the same order: a digest is
        /// found by a binary search of these, with no table to build first (or to hold, in a get that
        /// fills the cache with 100,000 files).
        private let keys: [UInt64]
        /// The signature of each file's row (a use's new one once it has one), nil for a file without a row.
        var signatures: [FileSignature?]
        /// What this process did with each file: ``used``, ``resigned``, ``owned``, ``inserted``.
        var marks: [UInt8]
        /// The owner of the first use noted here: a `get` has one.
        var owner: CacheOwner?

        /// Used since the preload.
        static let used: UInt8 = 1
        /// Used with a new signature (after a hard link), the one in `signatures`.
        static let resigned: UInt8 = 2
        /// Used by ``owner``.
        static let owned: UInt8 = 4
        /// Moved into `obj/` by this process, its row (the signature in `signatures`) not written yet.
        static let inserted: UInt8 = 8

        init(digests: [String], signatures: [FileSignature?]) {
            self.digests = digests
            keys = digests.map(Self.key)
            self.signatures = signatures
            marks = Array(repeating: 0, count: digests.count)
        }

        /// Where `digest` is in `digests`.
        func position(of digest: String) -> Int? {
            let key = Self.key(digest)
            var low = keys.partitioningIndex { $0 >= key }
            while low < keys.count, keys[low] == key {
                if digests[low] == digest { return low }
                low += 1
            }
            return nil
        }

        /// The first eight bytes of `digest` as a big-endian integer, zero-padded (ordered as the text).
        private static func key(_ digest: String) -> UInt64 {
            var key: UInt64 = 0
            var count = 0
            for byte in digest.utf8.prefix(8) {
                key = key << 8 | UInt64(byte)
                count += 1
            }
            return count == 8 ? key : key << UInt64(8 * (8 - count))
        }
    }

    /// The row of `digest` as this process sees it: `.some(nil)` when it has none, nil when only the
    /// index can say.
    func entry(_ digest: String) -> CacheIndex.Entry?? {
        // Each lookup hashes the 64-character digest: the empty tables (all of them but the preload's,
        // in a get of a cached version) are not asked.
        if !inserted.isEmpty, let signature = inserted[digest] {
            return .some(CacheIndex.Entry(digest: digest, size: signature.size, signature: signature, lastUsed: 0))
        }
        if !known.isEmpty, let known = known[digest] { return .some(known) }
        var pinned = false
        for preload in preloads {
            guard let position = preload.position(of: digest) else { continue }
            if let signature = preload.signatures[position] {
                return .some(CacheIndex.Entry(digest: digest, size: signature.size, signature: signature, lastUsed: 0))
            }
            pinned = true
        }
        return pinned ? .some(nil) : nil
    }

    /// Where a preload holds the row of `digest` (its insert's, for a file this process inserted), unless
    /// this process inserted a file no pin names or changed the row otherwise.
    private func preloadedRow(_ digest: String) -> (preload: Int, position: Int)? {
        if !inserted.isEmpty, inserted[digest] != nil { return nil }
        if !known.isEmpty, known[digest] != nil { return nil }
        for (index, preload) in preloads.enumerated() {
            if let position = preload.position(of: digest), preload.signatures[position] != nil { return (index, position) }
        }
        return nil
    }

    /// Notes a use by `owner`, with the file's new signature when it changed (after a hard link).
    mutating func use(_ digest: String, owner: CacheOwner?, signature: FileSignature?) {
        if let (index, position) = preloadedRow(digest) {
            if let signature {
                preloads[index].signatures[position] = signature
                preloads[index].marks[position] |= Preload.used | Preload.resigned
            } else {
                preloads[index].marks[position] |= Preload.used
            }
            if let owner { own(digest, at: (index, position), by: owner) }
            return
        }
        if let signature {
            uses[digest] = signature
            if !inserted.isEmpty, inserted[digest] != nil {
                inserted[digest] = signature
            } else if !known.isEmpty, let known = known[digest], var entry = known {
                entry.signature = signature
                self.known[digest] = entry
            }
        } else if uses[digest] == nil {
            uses[digest] = .some(nil)
        }
        if let owner { owners[owner, default: []].append(digest) }
    }

    /// Notes that `owner` used the file at `slot` of a preload.
    private mutating func own(_ digest: String, at slot: (preload: Int, position: Int), by owner: CacheOwner) {
        if preloads[slot.preload].owner == nil { preloads[slot.preload].owner = owner }
        if preloads[slot.preload].owner == owner {
            preloads[slot.preload].marks[slot.position] |= Preload.owned
        } else {
            owners[owner, default: []].append(digest)
        }
    }

    /// Notes a file just moved into `obj/` with `signature`: in its preload's slot when a pin names it,
    /// else in ``inserted``. Its row, written at the end, is its use: only the owner is noted besides.
    mutating func insert(_ digest: String, signature: FileSignature, owner: CacheOwner?) {
        known[digest] = nil
        for index in preloads.indices {
            guard let position = preloads[index].position(of: digest) else { continue }
            // A file inserted again (two workers with one content) is a new file: earlier uses and
            // signatures were of the one it replaced.
            preloads[index].signatures[position] = signature
            preloads[index].marks[position] = preloads[index].marks[position] & Preload.owned | Preload.inserted
            if let owner { own(digest, at: (index, position), by: owner) }
            return
        }
        inserted[digest] = signature
        if let owner { owners[owner, default: []].append(digest) }
    }

    /// Forgets the deferred insert of `digest`, if any, and returns the signature it had.
    mutating func forgetInsert(of digest: String) -> FileSignature? {
        if !inserted.isEmpty, let signature = inserted.removeValue(forKey: digest) { return signature }
        for index in preloads.indices {
            guard let position = preloads[index].position(of: digest),
                  preloads[index].marks[position] & Preload.inserted != 0 else { continue }
            preloads[index].marks[position] &= ~Preload.inserted
            return preloads[index].signatures[position]
        }
        return nil
    }

    /// Every deferred insert, in byte order of digest: the rows the index records at the end.
    func insertsInOrder() -> [(digest: String, signature: FileSignature)] {
        var ordered: [(digest: String, signature: FileSignature)] = []
        // Counted first: grown by doubling, the list held room for 131,072 inserts of 100,000, and both
        // buffers at the step, at the end of the get where its memory peaks.
        ordered.reserveCapacity(inserted.count + marked(Preload.inserted))
        for preload in preloads {
            for (position, mark) in preload.marks.enumerated() where mark & Preload.inserted != 0 {
                if let signature = preload.signatures[position] { ordered.append((preload.digests[position], signature)) }
            }
        }
        guard preloads.count > 1 || !inserted.isEmpty else { return ordered }
        for (digest, signature) in inserted { ordered.append((digest, signature)) }
        let order = ByteOrder.order(of: ordered.map(\.digest))
        return order.map { ordered[$0] }
    }

    /// Forgets every use of `digest` noted so far (its file is being evicted).
    mutating func forgetUses(of digest: String) {
        uses[digest] = nil
        // Rare (a damaged file found during a get), so a walk of each owner's list will do.
        for owner in owners.keys { owners[owner]?.removeAll { $0 == digest } }
        for index in preloads.indices {
            guard let position = preloads[index].position(of: digest) else { continue }
            preloads[index].marks[position] = 0
        }
    }

    /// How many preloaded files carry `mark`.
    private func marked(_ mark: UInt8) -> Int {
        preloads.reduce(0) { count, preload in count + preload.marks.reduce(0) { $0 + ($1 & mark != 0 ? 1 : 0) } }
    }

    /// Every use, in byte order of digest: what the index records at the end.
    func usesInOrder() -> [(digest: String, signature: FileSignature?)] {
        var ordered: [(digest: String, signature: FileSignature?)] = []
        ordered.reserveCapacity(uses.count + marked(Preload.used))
        for preload in preloads {
            for (position, mark) in preload.marks.enumerated() where mark & Preload.used != 0 {
                let signature = mark & Preload.resigned != 0 ? preload.signatures[position] : nil
                ordered.append((preload.digests[position], signature))
            }
        }
        guard preloads.count > 1 || !uses.isEmpty else { return ordered }
        // Uses outside one preload (inserted files used again, several pins): sorted as one list.
        for (digest, signature) in uses { ordered.append((digest, signature)) }
        let order = ByteOrder.order(of: ordered.map(\.digest))
        return order.map { ordered[$0] }
    }

    /// The files each owner used, each list either in byte order (`sorted`) or in the order of use.
    func ownersOfUses() -> [(owner: CacheOwner, digests: [String], sorted: Bool)] {
        var lists: [(owner: CacheOwner, digests: [String], sorted: Bool)] = []
        for preload in preloads {
            guard let owner = preload.owner else { continue }
            let owned = preload.marks.indices.filter { preload.marks[$0] & Preload.owned != 0 }
            lists.append((owner, owned.map { preload.digests[$0] }, true))
        }
        for (owner, digests) in owners where !digests.isEmpty { lists.append((owner, digests, false)) }
        return lists
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
        // A pin's digests are in byte order already: its rows are read in one walk, without sorting.
        let preloaded = try pin.map { pin in
            var signatures = [FileSignature?](repeating: nil, count: pin.digests.count)
            try index.database.read { db in
                try CacheIndex.forEachEntry(db, sorted: pin.digests) { signatures[$0] = $1.signature }
            }
            return DeferredUses.Preload(digests: pin.digests, signatures: signatures)
        }
        deferredUses.withLock { state in
            state.depth += 1
            if let preloaded { state.preloads.append(preloaded) }
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
        return try index.database.write { db in
            try CacheIndex.touch(db, digest: digest, signature: signature, owner: owner)
        }
    }

    /// The row of a file as this process sees it: a deferred insert's, or the index's.
    func knownEntry(digest: String) throws -> CacheIndex.Entry? {
        if let known = deferredUses.withLock({ $0.entry(digest) }) { return known }
        return try index.database.read { try CacheIndex.entry($0, digest: digest) }
    }

    /// Notes, while deferring, a file just moved into the cache; its row is written at the end.
    /// Returns false when no `deferringUses` scope is open.
    func noteDeferredInsert(digest: String, owner: CacheOwner?, move: () throws -> FileSignature) throws -> Bool {
        try deferredUses.withLock { state in
            guard state.depth > 0 else { return false }
            // Moved under the lock, so that two threads inserting one digest note the file that stays.
            state.insert(digest, signature: try move(), owner: owner)
            return true
        }
    }

    /// Forgets, while deferring, a file being evicted; returns the signature of its deferred insert, if any.
    func forgetDeferred(digest: String) -> FileSignature? {
        deferredUses.withLock { state in
            guard state.depth > 0 else { return nil }
            let inserted = state.forgetInsert(of: digest)
            state.forgetUses(of: digest)
            state.known[digest] = .some(nil)
            return inserted
        }
    }

    private func flushDeferredUses() throws {
        let state = deferredUses.withLock { state -> DeferredUses? in
            state.depth -= 1
            guard state.depth == 0 else { return nil }
            defer { state = DeferredUses() }
            return state
        }
        guard let state else { return }
        let (uses, owners, inserted) = (state.usesInOrder(), state.ownersOfUses(), state.insertsInOrder())
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
        uses: [(digest: String, signature: FileSignature?)], owners: [(owner: CacheOwner, digests: [String], sorted: Bool)],
        inserted: [(digest: String, signature: FileSignature)]
    ) throws {
        // In SQLite's own 2 MB page cache, not `withLargePageCache`: every row here is written in digest
        // order (inserts, new signatures, owners), one sweep over each table, so a page spilled to the WAL
        // is not wanted again in this transaction. (When uses still moved rows in `entry_lastUsed`, a get
        // of 20,000 cached files touched its pages at random and spilled 41,000 of them.) The 64 MiB cache
        // held every page of a get into an empty cache until the commit: 40 MiB of a 100,000-file get's
        // 119 MiB peak heap.
        try index.database.write { db in
            // In digest order: the use clock gives each file its place in the eviction order, and a
            // dictionary's order changes from run to run, so the same gets followed by the same
            // cleanup would evict different files (and the same command against a server and
            // locally would report different sizes). A pin's inserts come in its byte order already.
            try CacheIndex.record(db, inserted)
            // The uses as one row, not one update of `entry_lastUsed` per file (see CacheIndex+UseSets).
            try CacheIndex.noteUses(db, uses)
            for (owner, digests, sorted) in owners where !digests.isEmpty {
                try CacheIndex.addOwner(db, owner, digests: digests, sorted: sorted)
            }
        }
    }
}
