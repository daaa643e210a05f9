import ArtifactStore
import Foundation
import PostgresNIO

extension PostgresCatalog {
    /// What a deletion removes: the versions' rows and the contents and chunks only they use.
    struct Doomed {
        var plan: DeletionPlan
        var packs: [String]
        var versionIDs: [Int64]
        var contentIDs: [Int64]
        var chunkIDs: [Int64]
    }

    public func deletionPlan(versionIDs: [Int64]) throws -> DeletionPlan {
        try read { session in try doomed(session, versionIDs: versionIDs).plan }
    }

    public func delete(versionIDs: [Int64], deleteAliases: Bool) throws -> DeletionOutcome {
        try write { session in
            try lockChunks(session, exclusive: true)
            // Alias changes take the artifact's row lock too: none slips in between the check and the delete.
            try session.execute("""
                SELECT id FROM artifact WHERE id IN (SELECT artifact_id FROM version WHERE id = ANY(\(versionIDs)))
                ORDER BY id FOR UPDATE
                """)
            let doomed = try doomed(session, versionIDs: versionIDs)
            if !deleteAliases {
                for version in doomed.plan.versions where !version.manualAliases.isEmpty {
                    throw StoreError.versionHasAliases(version: version.qualifiedName, aliases: version.manualAliases)
                }
            }
            try remove(session, doomed)
            return DeletionOutcome(plan: doomed.plan, packsToCompact: doomed.packs)
        }
    }

    /// Deletes what `doomed` lists, leaving the versions as tombstones.
    func remove(_ session: PostgresSession, _ doomed: Doomed) throws {
        let (versions, contents, chunks) = (doomed.versionIDs, doomed.contentIDs, doomed.chunkIDs)
        try markForCompaction(session, packs: doomed.packs)
        try session.execute("DELETE FROM alias WHERE version_id = ANY(\(versions))")
        try session.execute("DELETE FROM file WHERE version_id = ANY(\(versions))")
        try session.execute("DELETE FROM file_reference WHERE version_id = ANY(\(versions))")
        try session.execute("DELETE FROM content_chunk WHERE content_id = ANY(\(contents))")
        try session.execute("DELETE FROM content WHERE id = ANY(\(contents))")
        try session.execute("DELETE FROM chunk WHERE id = ANY(\(chunks))")
        // The row stays as a tombstone so lineage through a deleted version does not lie.
        let now = Date().timeIntervalSince1970
        try session.execute("UPDATE version SET state = 'deleted', deleted_at = \(now) WHERE id = ANY(\(versions))")
    }

    /// Computes exactly what deleting `versionIDs` frees: a content dies when no surviving version's
    /// file uses it, a chunk when no surviving content uses it. Pending versions survive.
    func doomed(_ session: PostgresSession, versionIDs: [Int64]) throws -> Doomed {
        let ids = Array(Set(versionIDs))
        let versions = try versionRecords(session, where: "WHERE v.id = ANY($1) ORDER BY v.idx NULLS FIRST", binds(ids))
        if versions.count != ids.count {
            let found = Set(versions.map(\.id))
            let missing = versionIDs.first { !found.contains($0) }!
            throw StoreError.versionNotFound(artifact: "#\(missing)", reference: "id \(missing)")
        }
        if let gone = versions.first(where: { $0.state == .deleted }) {
            throw StoreError.versionNotFound(artifact: "\(gone.project)/\(gone.name)", reference: gone.versionName)
        }
        let contents = try session.rows("""
            SELECT DISTINCT f.content_id FROM file f
            WHERE f.version_id = ANY(\(ids))
            AND NOT EXISTS (SELECT 1 FROM file o WHERE o.content_id = f.content_id AND NOT (o.version_id = ANY(\(ids))))
            """).map { try $0[0].decode(Int64.self) }
        let chunks = try session.rows("""
            SELECT DISTINCT cc.chunk_id FROM content_chunk cc
            WHERE cc.content_id = ANY(\(contents))
            AND NOT EXISTS (SELECT 1 FROM content_chunk o WHERE o.chunk_id = cc.chunk_id
                AND NOT (o.content_id = ANY(\(contents))))
            """).map { try $0[0].decode(Int64.self) }
        let totals = try session.row(
            "SELECT count(*), coalesce(sum(stored_length), 0)::bigint FROM chunk WHERE id = ANY(\(chunks))")
        let packs = try session.rows("""
            SELECT DISTINCT p.key FROM chunk c JOIN pack p ON p.id = c.pack_id WHERE c.id = ANY(\(chunks)) ORDER BY p.key
            """).map { try $0[0].decode(String.self) }
        let plan = DeletionPlan(
            versions: versions, freedBytes: try totals?[1].decode(Int64.self) ?? 0,
            freedChunks: try totals?[0].decode(Int.self) ?? 0)
        return Doomed(plan: plan, packs: packs, versionIDs: ids, contentIDs: contents, chunkIDs: chunks)
    }

    public func relocate(_ moves: [String: ChunkLocation], to newPack: ObjectInfo?, from oldPackKey: String) throws
        -> Bool
    {
        try write { session in
            try lockChunks(session, exclusive: true)
            let newID = try newPack.map { newPack in
                guard let id = try session.row(
                    "INSERT INTO pack (key, size) VALUES (\(newPack.key), \(newPack.size)) RETURNING id")?[0]
                    .decode(Int64.self)
                else { throw StoreError.catalog("pack \(newPack.key) got no id") }
                return id
            }
            guard let oldID = try session.row("SELECT id FROM pack WHERE key = \(oldPackKey)")?[0].decode(Int64.self)
            else { return true }
            if let newID {
                let digests = Array(moves.keys)
                let offsets = digests.map { moves[$0]!.offset }
                try session.execute("""
                    UPDATE chunk SET pack_id = \(newID), pack_offset = n.pack_offset
                    FROM unnest(\(digests), \(offsets)) AS n(digest, pack_offset)
                    WHERE chunk.digest = decode(n.digest, 'hex') AND chunk.pack_id = \(oldID)
                    """)
            }
            let remaining = try session.row("SELECT count(*) FROM chunk WHERE pack_id = \(oldID)")?[0].decode(Int.self) ?? 0
            return remaining == 0
        }
    }

    public func emptyPacks(among keys: [String]) throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        let held = try read { session in
            try session.rows("""
                SELECT p.key FROM pack p WHERE p.key = ANY(\(keys))
                AND EXISTS (SELECT 1 FROM chunk c WHERE c.pack_id = p.id)
                """).map { try $0[0].decode(String.self) }
        }
        return Set(keys).subtracting(held)
    }

    public func forgetPacks(keys: [String]) throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        let kept = try write { session in
            try session.execute("""
                DELETE FROM pack WHERE key = ANY(\(keys))
                AND NOT EXISTS (SELECT 1 FROM chunk c WHERE c.pack_id = pack.id)
                """)
            return try session.rows("SELECT key FROM pack WHERE key = ANY(\(keys))").map { try $0[0].decode(String.self) }
        }
        return Set(keys).subtracting(kept)
    }
}
