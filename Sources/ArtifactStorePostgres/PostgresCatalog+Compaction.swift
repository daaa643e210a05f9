import ArtifactStore
import Foundation
import PostgresNIO

extension PostgresCatalogSchema {
    /// Adds `pack.compact_pending`, as the embedded catalog's `compaction-v1` does: set in a deletion's
    /// own transaction on every pack it leaves dead bytes in, gone with the pack's row once compaction
    /// has rewritten or deleted it. A rewrite the bucket failed, or a server that ended first, leaves it
    /// set, and the next deletion, through any server, retries that pack.
    static let compactionMigration = Migration(version: 4, name: "compaction-v1", statements: [
        "ALTER TABLE pack ADD COLUMN compact_pending boolean NOT NULL DEFAULT false",
        "CREATE INDEX pack_compact_pending ON pack(id) WHERE compact_pending",
    ])
}

extension PostgresCatalog {
    /// Marks `packs` as left to compact, inside the caller's transaction.
    func markForCompaction(_ session: PostgresSession, packs: [String]) throws {
        guard !packs.isEmpty else { return }
        try session.execute("UPDATE pack SET compact_pending = true WHERE key = ANY(\(packs))")
    }

    public func packsToCompact() throws -> [ObjectInfo] {
        try read { session in
            try session.rows("""
                SELECT key, size FROM pack p
                WHERE compact_pending OR NOT EXISTS (SELECT 1 FROM chunk c WHERE c.pack_id = p.id) ORDER BY key
                """).map { ObjectInfo(key: try $0[0].decode(String.self), size: try $0[1].decode(Int64.self)) }
        }
    }
}
