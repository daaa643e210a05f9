import Foundation
import GRDB

extension FileCache {
    /// Removes least-recently-used files (by the cache's own record of use, not atime) until
    /// the cache holds at most `target` bytes, leaving pinned files alone.
    ///
    /// The eviction set is chosen by one ordered walk and evicted by recording its last file's use
    /// as the cutoff (see ``CacheIndex``), in the same transaction: from that commit on the files are
    /// absent to every reader and out of the totals, whatever their number. Their rows and files are
    /// deleted after it (see ``FileCache`` for what a crash in between leaves). A dry run computes
    /// the same figures and removes nothing.
    ///
    /// With `unlinkLater`, the files are left for ``unlinkPending()`` (which another process may
    /// run): nothing serves them again meanwhile. Unlinking is most of a big cleanup's time
    /// (100,000 files take seconds on ext4).
    /// - Throws: `StoreError.invalidArgument` for a negative target.
    public func cleanup(toAtMost target: Int64, dryRun: Bool = false, unlinkLater: Bool = false) throws
        -> CleanupResult
    {
        guard target >= 0 else {
            throw StoreError.invalidArgument("cache cleanup target must not be negative (got \(target) bytes)")
        }
        try sweepDeadPins()
        if dryRun {
            // Uses waiting in sets decide the order too: fold them first (it changes no file and no total).
            if try index.database.read({ try CacheIndex.hasUnfoldedUses($0) }) {
                try index.database.write { try CacheIndex.foldUses($0) }
            }
            return try index.database.read { db in
                try Self.planEviction(db, target: target, pinned: CacheIndex.pinnedDigests(db)).result
            }
        }
        let plan = try index.database.write { db in
            // The order of use is complete only with the uses waiting in sets, in this transaction.
            try CacheIndex.foldUses(db)
            let pinnedDigests = try CacheIndex.pinnedDigests(db)
            let plan = try Self.planEviction(db, target: target, pinned: pinnedDigests)
            if let cutoff = plan.cutoff {
                // Pinned files used before the cutoff are kept: they are in use, so mark them used
                // now, after it. lastUsed is unique (the use clock never repeats), so what is left at
                // or before the cutoff is exactly the chosen set.
                let pinned = try CacheIndex.entries(db, digests: Array(pinnedDigests)).values
                    .filter { $0.lastUsed <= cutoff }.map(\.digest)
                try CacheIndex.touch(db, ByteOrder.sorted(pinned).map { (digest: $0, signature: nil) })
                try db.execute(
                    sql: "UPDATE cacheState SET evictedThrough = ?, bytes = bytes - ?, files = files - ? WHERE id = 1",
                    arguments: [cutoff, plan.result.freedBytes, plan.result.removedFiles])
            }
            return plan
        }
        if !unlinkLater && plan.cutoff != nil {
            try withUnlinkLock(wait: true) { try finishPendingUnlinks() }
        }
        return plan.result
    }

    /// Unlinks the files that evictions left pending (see `unlinkLater`), waiting for any other
    /// process doing the same to finish first.
    public func unlinkPending() throws {
        try withUnlinkLock(wait: true) { try finishPendingUnlinks() }
    }

    private struct EvictionPlan {
        var result: CleanupResult
        /// lastUsed of the most recently used file chosen; nil when none is.
        var cutoff: Int64?
    }

    /// Walks the live files from least to most recently used, choosing unpinned ones until the
    /// total would be at most `target`.
    private static func planEviction(_ db: Database, target: Int64, pinned: Set<String>) throws -> EvictionPlan {
        let totals = try CacheIndex.totals(db)
        var plan = EvictionPlan(
            result: CleanupResult(
                freedBytes: 0, removedFiles: 0, remainingBytes: totals.bytes, remainingFiles: totals.files,
                skippedPinnedFiles: 0),
            cutoff: nil)
        guard totals.bytes > target else { return plan }
        // Only integers cross into Swift, not 100,000 digests decoded as strings, unless some file
        // is pinned: then each digest is looked up among the pinned ones.
        let rows = try Row.fetchCursor(db, sql: """
            SELECT size, lastUsed\(pinned.isEmpty ? "" : ", digest") FROM entry WHERE \(CacheIndex.live()) ORDER BY lastUsed
            """)
        while plan.result.remainingBytes > target, let row = try rows.next() {
            if !pinned.isEmpty, pinned.contains(row[2] as String) {
                plan.result.skippedPinnedFiles += 1
                continue
            }
            let size: Int64 = row[0]
            plan.result.freedBytes += size
            plan.result.removedFiles += 1
            plan.result.remainingBytes -= size
            plan.result.remainingFiles -= 1
            plan.cutoff = row[1]
        }
        return plan
    }
}
