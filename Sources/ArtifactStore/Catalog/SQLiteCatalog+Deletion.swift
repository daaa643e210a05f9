import Foundation
import GRDB

extension SQLiteCatalog {
    public func deletionPlan(versionIDs: [Int64]) throws -> DeletionPlan {
        try guarded {
            try readWithScratchTables { db in
                defer { try? dropDoomedTables(db) }
                return try plan(db, versionIDs: versionIDs).plan
            }
        }
    }

    public func delete(versionIDs: [Int64], deleteAliases: Bool) throws -> DeletionOutcome {
        try guarded {
            try database.write { db in
                let (plan, packs) = try self.plan(db, versionIDs: versionIDs)
                if !deleteAliases {
                    for version in plan.versions where !version.manualAliases.isEmpty {
                        throw StoreError.versionHasAliases(version: version.qualifiedName, aliases: version.manualAliases)
                    }
                }
                try removeDoomed(db)
                try FaultInjection.check(.commit, operation: "commit to", path: path)
                return DeletionOutcome(plan: plan, packsToCompact: packs)
            }
        }
    }

    /// Deletes what `plan` put in the `doomed_*` tables, leaving the versions as tombstones.
    func removeDoomed(_ db: Database) throws {
        let now = Date().timeIntervalSince1970
        try markDoomedPacksForCompaction(db)
        try db.execute(sql: """
            DELETE FROM alias WHERE versionId IN (SELECT id FROM doomed_version);
            DELETE FROM file WHERE versionId IN (SELECT id FROM doomed_version);
            DELETE FROM file_reference WHERE versionId IN (SELECT id FROM doomed_version);
            DELETE FROM content_chunk WHERE contentId IN (SELECT id FROM doomed_content);
            DELETE FROM content WHERE id IN (SELECT id FROM doomed_content);
            DELETE FROM chunk WHERE id IN (SELECT id FROM doomed_chunk);
            """)
        // The row stays as a tombstone so lineage through a deleted version does not lie.
        try db.execute(
            sql: "UPDATE version SET state = 'deleted', deletedAt = ? WHERE id IN (SELECT id FROM doomed_version)",
            arguments: [now])
        try dropDoomedTables(db)
    }

    /// Fills the temporary `doomed_*` tables and computes the exact bytes and packs a deletion frees.
    ///
    /// A content dies when no surviving version's file uses it; a chunk dies when no surviving content
    /// uses it. Pending versions survive, so parallel writers never lose chunks they rely on.
    func plan(_ db: Database, versionIDs: [Int64]) throws -> (plan: DeletionPlan, packs: [String]) {
        try dropDoomedTables(db)
        try db.execute(sql: "CREATE TEMP TABLE doomed_version (id INTEGER PRIMARY KEY)")
        let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO doomed_version (id) VALUES (?)")
        for id in versionIDs { try insert.execute(arguments: [id]) }
        let rows = try Row.fetchAll(db, sql: """
            SELECT \(SQLiteCatalog.versionColumns) WHERE v.id IN (SELECT id FROM doomed_version) ORDER BY v.idx
            """)
        let versions = try versionRecords(db, rows: rows)
        if versions.count != Set(versionIDs).count {
            let found = Set(versions.map(\.id))
            let missing = versionIDs.first { !found.contains($0) }!
            throw StoreError.versionNotFound(artifact: "#\(missing)", reference: "id \(missing)")
        }
        if let gone = versions.first(where: { $0.state == .deleted }) {
            throw StoreError.versionNotFound(artifact: "\(gone.project)/\(gone.name)", reference: gone.versionName)
        }
        // The doomed versions' contents, less those a surviving version uses: file rows have no index
        // by content (a second copy of every manifest), so the survivors are found in one pass over
        // them, each row probing the short list of candidates.
        try db.execute(sql: """
            CREATE TEMP TABLE doomed_content (id INTEGER PRIMARY KEY);
            INSERT OR IGNORE INTO doomed_content
                SELECT contentId FROM file WHERE versionId IN (SELECT id FROM doomed_version);
            """)
        if try Int.fetchOne(db, sql: "SELECT count(*) FROM doomed_content")! > 0 {
            try db.execute(sql: """
                DELETE FROM doomed_content WHERE id IN (
                    SELECT f.contentId FROM file f
                    WHERE f.contentId IN (SELECT id FROM doomed_content)
                    AND f.versionId NOT IN (SELECT id FROM doomed_version));
                """)
        }
        try db.execute(sql: """
            CREATE TEMP TABLE doomed_chunk AS
                SELECT DISTINCT cc.chunkId AS id FROM content_chunk cc
                WHERE cc.contentId IN (SELECT id FROM doomed_content)
                AND NOT EXISTS (SELECT 1 FROM content_chunk o WHERE o.chunkId = cc.chunkId
                    AND o.contentId NOT IN (SELECT id FROM doomed_content));
            """)
        let totals = try Row.fetchOne(
            db, sql: "SELECT count(*) AS n, total(storedLength) AS bytes FROM chunk WHERE id IN (SELECT id FROM doomed_chunk)")!
        let packs = try String.fetchAll(db, sql: """
            SELECT DISTINCT p.key FROM chunk c JOIN pack p ON p.id = c.packId
            WHERE c.id IN (SELECT id FROM doomed_chunk) ORDER BY p.key
            """)
        let plan = DeletionPlan(
            versions: versions, freedBytes: Int64(totals["bytes"] as Double), freedChunks: totals["n"])
        return (plan, packs)
    }

    private func dropDoomedTables(_ db: Database) throws {
        try db.execute(sql: """
            DROP TABLE IF EXISTS temp.doomed_version;
            DROP TABLE IF EXISTS temp.doomed_content;
            DROP TABLE IF EXISTS temp.doomed_chunk;
            """)
    }

    public func relocate(_ moves: [String: ChunkLocation], to newPack: ObjectInfo?, from oldPackKey: String) throws
        -> Bool
    {
        try guarded {
            try database.write { db in
                let newID = try newPack.map { newPack in
                    try db.execute(
                        sql: "INSERT INTO pack (key, size) VALUES (?, ?)", arguments: [newPack.key, newPack.size])
                    return db.lastInsertedRowID
                }
                guard let oldID = try Int64.fetchOne(
                    db, sql: "SELECT id FROM pack WHERE key = ?", arguments: [oldPackKey])
                else { return true }
                if let newID {
                    let update = try db.makeStatement(
                        sql: "UPDATE chunk SET packId = ?, offset = ? WHERE digest = ? AND packId = ?")
                    for (digest, location) in moves {
                        try update.execute(arguments: [newID, location.offset, try CatalogDigest.blob(digest), oldID])
                    }
                }
                let remaining = try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM chunk WHERE packId = ?", arguments: [oldID]) ?? 0
                try FaultInjection.check(.commit, operation: "commit to", path: path)
                return remaining == 0
            }
        }
    }

    public func emptyPacks(among keys: [String]) throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return try guarded {
            try database.read { db in
                let held = try String.fetchAll(db, sql: """
                    SELECT p.key FROM pack p JOIN json_each(?) k ON k.value = p.key
                    WHERE EXISTS (SELECT 1 FROM chunk WHERE packId = p.id)
                    """, arguments: [JSONValue.array(keys.map(JSONValue.string)).jsonText])
                return Set(keys).subtracting(held)
            }
        }
    }

    public func forgetPacks(keys: [String]) throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return try guarded {
            try database.write { db in
                let list = JSONValue.array(keys.map(JSONValue.string)).jsonText
                try db.execute(sql: """
                    DELETE FROM pack WHERE key IN (SELECT value FROM json_each(?))
                    AND NOT EXISTS (SELECT 1 FROM chunk WHERE packId = pack.id)
                    """, arguments: [list])
                let kept = try String.fetchAll(
                    db, sql: "SELECT key FROM pack WHERE key IN (SELECT value FROM json_each(?))", arguments: [list])
                return Set(keys).subtracting(kept)
            }
        }
    }

}
