import ArtifactStore
import Foundation
import PostgresNIO

extension PostgresCatalog {
    /// Advisory lock key for the chunk graph ("arttui" in ASCII, then 2): writers that add chunks and
    /// contents hold it shared, deletions and relocations exclusive, so a deletion never removes a
    /// chunk a concurrent commit has checked and relies on.
    static let chunkLock: Int64 = 0x6172_7474_7569_0002

    /// Takes the chunk lock for the rest of the transaction: shared to add, exclusive to remove.
    func lockChunks(_ session: PostgresSession, exclusive: Bool) throws {
        let function = exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared"
        try session.execute(PostgresQuery(unsafeSQL: "SELECT \(function)($1)", binds: binds(Self.chunkLock)))
    }

    /// What `insertContents` recorded.
    struct StoredContents {
        /// The catalog id of every content given, new or already there.
        var contentIDs: [String: Int64]
        /// Bytes of the chunk records this call added.
        var addedBytes: Int64
        /// Chunks written for this call that another writer had stored first.
        var unusedChunks: [StoredChunk]
    }

    /// The result of `insertContents`.
    enum ContentInsertion {
        case stored(StoredContents)
        case missing(Set<String>)
    }

    /// Records packs, chunks and contents a writer produced, inside the caller's transaction (which
    /// holds the shared chunk lock), as `SQLiteCatalog.insertContents` does. `packs` are recorded once
    /// nothing is missing, their keys added to `packKeys`, which holds those earlier batches of the same
    /// commit recorded: a chunk an earlier batch recorded in one of them is not another writer's.
    func insertContents(
        _ session: PostgresSession, contents: [ContentRecord], newChunks: [StoredChunk], packs: [ObjectInfo],
        packKeys: inout Set<String>
    ) throws -> ContentInsertion {
        let written = Set(newChunks.map(\.digest))
        let known = try ids(session, table: "content", digests: contents.map(\.digest))
        let newContents = contents.filter { known[$0.digest] == nil }
        // A content the writer took from its stat cache comes without chunks: it must still be here.
        let vanished = newContents.filter { $0.chunks.isEmpty && $0.size > 0 }.map(\.digest)
        if !vanished.isEmpty { return .missing(Set(vanished)) }
        let relied = Set(newContents.flatMap(\.chunks)).subtracting(written)
        if !relied.isEmpty {
            let present = try ids(session, table: "chunk", digests: Array(relied))
            let missing = relied.subtracting(present.keys)
            if !missing.isEmpty { return .missing(missing) }
        }

        if !packs.isEmpty {
            try session.execute("""
                INSERT INTO pack (key, size) SELECT * FROM unnest(\(packs.map(\.key)), \(packs.map(\.size)))
                """)
            packKeys.formUnion(packs.map(\.key))
        }
        var addedBytes: Int64 = 0
        var unused: [StoredChunk] = []
        if !newChunks.isEmpty {
            if let stray = newChunks.first(where: { !packKeys.contains($0.location.packKey) }) {
                throw StoreError.catalog("chunk \(stray.digest) names pack \(stray.location.packKey) not in this commit")
            }
            // Ordered by digest so concurrent writers of the same chunks wait on each other in one order.
            let chunks = newChunks.sorted { $0.digest < $1.digest }
            let inserted = try session.rows("""
                INSERT INTO chunk (digest, pack_id, pack_offset, stored_length, raw_length, compression)
                SELECT decode(n.digest, 'hex'), p.id, n.pack_offset, n.stored_length, n.raw_length, n.compression
                FROM unnest(\(chunks.map(\.digest)), \(chunks.map(\.location.packKey)), \(chunks.map(\.location.offset)),
                    \(chunks.map(\.location.storedLength)), \(chunks.map { Int64($0.location.rawLength) }),
                    \(chunks.map { Int16($0.location.compression.rawValue) }))
                    WITH ORDINALITY AS n(digest, pack_key, pack_offset, stored_length, raw_length, compression, position)
                JOIN pack p ON p.key = n.pack_key
                ORDER BY n.position
                ON CONFLICT (digest) DO NOTHING
                RETURNING encode(digest, 'hex')
                """)
            var fresh = Set(try inserted.map { try $0[0].decode(String.self) })
            // Stored already by an earlier batch of this commit, in one of its packs: neither new bytes
            // nor another writer's.
            var own = Set<String>()
            if fresh.count < newChunks.count {
                let stored = newChunks.map(\.digest).filter { !fresh.contains($0) }
                for row in try session.rows(PostgresQuery(unsafeSQL: """
                    SELECT encode(c.digest, 'hex') FROM chunk c JOIN pack p ON p.id = c.pack_id
                    WHERE c.digest IN (SELECT decode(d, 'hex') FROM unnest($1::text[]) AS d) AND p.key = ANY($2::text[])
                    """, binds: binds(stored, Array(packKeys))))
                {
                    own.insert(try row[0].decode(String.self))
                }
            }
            for chunk in newChunks {
                if fresh.remove(chunk.digest) != nil {
                    addedBytes += chunk.location.storedLength
                } else if !own.contains(chunk.digest) {
                    unused.append(chunk)
                }
            }
        }

        var contentIDs = known
        let toInsert = Dictionary(newContents.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })
        if !toInsert.isEmpty {
            let records = toInsert.values.sorted { $0.digest < $1.digest }
            let rows = try session.rows("""
                INSERT INTO content (digest, size)
                SELECT decode(d, 'hex'), s FROM unnest(\(records.map(\.digest)), \(records.map(\.size))) AS n(d, s)
                ON CONFLICT (digest) DO NOTHING
                RETURNING encode(digest, 'hex'), id
                """)
            var created: [String: Int64] = [:]
            for row in rows { created[try row[0].decode(String.self)] = try row[1].decode(Int64.self) }
            // Contents another writer recorded meanwhile are theirs, chunk list included.
            let others = Array(toInsert.keys.filter { created[$0] == nil })
            for (digest, id) in try ids(session, table: "content", digests: others) { contentIDs[digest] = id }
            for (digest, id) in created { contentIDs[digest] = id }
            var contentColumn: [Int64] = []
            var seqColumn: [Int32] = []
            var chunkColumn: [String] = []
            for (digest, id) in created.sorted(by: { $0.key < $1.key }) {
                for (seq, chunk) in toInsert[digest]!.chunks.enumerated() {
                    contentColumn.append(id)
                    seqColumn.append(Int32(seq))
                    chunkColumn.append(chunk)
                }
            }
            if !contentColumn.isEmpty {
                let linked = try session.execute("""
                    INSERT INTO content_chunk (content_id, seq, chunk_id)
                    SELECT n.content_id, n.seq, ch.id
                    FROM unnest(\(contentColumn), \(seqColumn), \(chunkColumn)) AS n(content_id, seq, digest)
                    JOIN chunk ch ON ch.digest = decode(n.digest, 'hex')
                    """)
                guard linked == contentColumn.count else {
                    // Checked above under the chunk lock; throwing rolls everything back.
                    throw StoreError.catalog("chunks of new contents vanished during commit")
                }
            }
        }
        return .stored(StoredContents(contentIDs: contentIDs, addedBytes: addedBytes, unusedChunks: unused))
    }

    /// The ids of the rows of `table` (content or chunk) with these digests.
    func ids(_ session: PostgresSession, table: String, digests: [String]) throws -> [String: Int64] {
        guard !digests.isEmpty else { return [:] }
        var result: [String: Int64] = [:]
        for row in try session.rows(PostgresQuery(unsafeSQL: """
            SELECT encode(t.digest, 'hex'), t.id FROM \(table) t
            WHERE t.digest IN (SELECT decode(d, 'hex') FROM unnest($1::text[]) AS d)
            """, binds: binds(digests)))
        {
            result[try row[0].decode(String.self)] = try row[1].decode(Int64.self)
        }
        return result
    }
}
