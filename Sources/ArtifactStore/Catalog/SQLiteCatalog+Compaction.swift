import Foundation
import GRDB

extension SQLiteCatalog {
    /// Adds `pack.compactPending`: set, in the deletion's own transaction, on every pack a deletion
    /// leaves dead bytes in, and gone with the pack's row once compaction has rewritten or deleted it.
    /// A rewrite the object store failed (or a process that ended first) leaves it set, and the next
    /// deletion retries that pack, as it retries one it emptied.
    static func registerCompactionMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("compaction-v1") { db in
            try db.execute(sql: """
                ALTER TABLE pack ADD COLUMN compactPending INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX pack_compact_pending ON pack(id) WHERE compactPending;
                """)
        }
    }

    /// Marks the packs holding the chunks in `doomed_chunk` as left to compact, inside the caller's
    /// transaction (before those chunks' rows go).
    func markDoomedPacksForCompaction(_ db: Database) throws {
        try db.execute(sql: """
            UPDATE pack SET compactPending = 1
            WHERE id IN (SELECT packId FROM chunk WHERE id IN (SELECT id FROM doomed_chunk))
            """)
    }

    public func packsToCompact() throws -> [ObjectInfo] {
        try guarded {
            try database.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT key, size FROM pack p
                    WHERE compactPending OR NOT EXISTS (SELECT 1 FROM chunk c WHERE c.packId = p.id) ORDER BY key
                    """).map { ObjectInfo(key: $0["key"], size: $0["size"]) }
            }
        }
    }
}
