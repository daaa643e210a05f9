import Foundation
import GRDB

extension FileCache {
    /// Removes least-recently-used files (by the cache's own record of use, not atime) until
    /// the cache holds at most `target` bytes, leaving pinned files alone.
    ///
    /// The eviction set is chosen by one ordered query and its rows deleted in the same
    /// transaction; the files are unlinked after it commits (see ``FileCache`` for what a
    /// crash in between leaves). A dry run computes the same figures and removes nothing.
    ///
    /// With `unlinkLater`, the files are left for ``unlinkPending()`` (which another process may
    /// run): the cache's totals already exclude them, and nothing serves them again. Unlinking is
    /// most of a big cleanup's time (100,000 files take seconds on ext4).
    /// - Throws: `StoreError.invalidArgument` for a negative target.
    public func cleanup(toAtMost target: Int64, dryRun: Bool = false, unlinkLater: Bool = false) throws
        -> CleanupResult
    {
        guard target >= 0 else {
            throw StoreError.invalidArgument("cache cleanup target must not be negative (got \(target) bytes)")
        }
        try sweepDeadPins()
        if dryRun {
            return try index.pool.read { db in try Self.planEviction(db, target: target, listVictims: false).result }
        }
        try finishPendingUnlinks()
        let batch = UUID().uuidString
        let plan = try index.pool.write { db in try CacheIndex.withLargePageCache(db) {
            // Files left for later are found again through pendingUnlink: no need to hold them here.
            let plan = try Self.planEviction(db, target: target, listVictims: !unlinkLater)
            if let cutoff = plan.cutoff {
                // lastUsed is unique (the use clock never repeats), so "unpinned and used no
                // later than the last chosen file" is exactly the chosen set.
                let chosen = "lastUsed <= ? AND NOT EXISTS (SELECT 1 FROM pin WHERE pin.digest = entry.digest)"
                try db.execute(
                    sql: "INSERT OR REPLACE INTO pendingUnlink (batch, digest, inode) SELECT ?, digest, inode FROM entry WHERE \(chosen)",
                    arguments: [batch, cutoff])
                try db.execute(sql: "DELETE FROM entry WHERE \(chosen)", arguments: [cutoff])
                guard db.changesCount == plan.result.removedFiles else {
                    throw StoreError.catalog("cache cleanup chose \(plan.result.removedFiles) files but would delete \(db.changesCount); nothing removed")
                }
                try CacheIndex.deleteOwners(db, batch: batch)
            }
            return plan
        } }
        if !unlinkLater && !plan.victims.isEmpty {
            try unlinkEvicted(plan.victims, batch: batch)
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
        var victims: [(digest: String, inode: Int64)]
        /// lastUsed of the most recently used file chosen; nil when none is.
        var cutoff: Int64?
    }

    /// Walks the files from least to most recently used, choosing unpinned ones until the
    /// total would be at most `target`; `listVictims` also collects their digests and inodes.
    private static func planEviction(_ db: Database, target: Int64, listVictims: Bool) throws -> EvictionPlan {
        let totals = try CacheIndex.totals(db)
        var plan = EvictionPlan(
            result: CleanupResult(
                freedBytes: 0, removedFiles: 0, remainingBytes: totals.bytes, remainingFiles: totals.files,
                skippedPinnedFiles: 0),
            victims: [], cutoff: nil)
        guard totals.bytes > target else { return plan }
        // Without the list, only integers cross into Swift, not 100,000 digests decoded as strings.
        let rows = try Row.fetchCursor(db, sql: """
            SELECT \(listVictims ? "digest, inode" : "NULL, NULL"), size, lastUsed,
                   EXISTS (SELECT 1 FROM pin WHERE pin.digest = entry.digest) AS pinned
            FROM entry ORDER BY lastUsed
            """)
        while plan.result.remainingBytes > target, let row = try rows.next() {
            if row[4] as Bool {
                plan.result.skippedPinnedFiles += 1
                continue
            }
            let size: Int64 = row[2]
            plan.result.freedBytes += size
            plan.result.removedFiles += 1
            plan.result.remainingBytes -= size
            plan.result.remainingFiles -= 1
            if listVictims { plan.victims.append((row[0], row[1])) }
            plan.cutoff = row[3]
        }
        return plan
    }
}
