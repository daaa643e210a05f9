import Foundation
import GRDB

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
    /// Everything is recorded.
    case stored(StoredContents)
    /// Chunks the writer relied on were deleted meanwhile: nothing was recorded.
    case missing(Set<String>)
}

extension SQLiteCatalog {
    /// Records packs, chunks and contents a writer produced, inside the caller's transaction.
    ///
    /// Shared by commits and upserts so both protect themselves the same way against deletes that
    /// ran between the writer's "the store has this chunk" check and this transaction. `packs` are
    /// recorded once nothing is missing, their ids added to `packIDs`, which holds those of the packs
    /// earlier batches of the same commit recorded: a chunk an earlier batch recorded in one of them is
    /// not counted as stored by another writer.
    func insertContents(
        _ db: Database, contents: [ContentRecord], newChunks: [StoredChunk], packs: [ObjectInfo],
        packIDs: inout [String: Int64]
    ) throws -> ContentInsertion {
        // Chunks the writer skipped because the store had them must still be here: a concurrent
        // delete may have taken them between the writer's check and this transaction.
        let written = Set(newChunks.map(\.digest))
        let contentIDs = try existingContentIDs(db, digests: contents.map(\.digest))
        // The chunks new contents rely on that this call did not write; their ids come with the check.
        // Chunks this call writes get their ids as they are inserted: looking all of them up again
        // afterwards made a second hex string and dictionary entry per chunk of a 100,000-file put.
        var relied = Set<String>()
        var vanished = Set<String>()
        for content in contents where contentIDs[content.digest] == nil {
            // A content the writer took from its stat cache comes without chunks: it must still be here.
            if content.chunks.isEmpty && content.size > 0 { vanished.insert(content.digest) }
            for chunk in content.chunks where !written.contains(chunk) { relied.insert(chunk) }
        }
        if !vanished.isEmpty { return .missing(vanished) }
        var chunkIDs: [String: Int64] = [:]
        if !relied.isEmpty {
            chunkIDs = try existingChunkIDs(db, digests: Array(relied))
            let missing = relied.subtracting(chunkIDs.keys)
            if !missing.isEmpty { return .missing(missing) }
        }

        for pack in packs {
            try db.execute(sql: "INSERT INTO pack (key, size) VALUES (?, ?)", arguments: [pack.key, pack.size])
            packIDs[pack.key] = db.lastInsertedRowID
        }
        // Statements prepared once, their values bound straight into SQLite: compiling one per row cost
        // more than running it, and GRDB's argument arrays, with a `Data` per digest, were most of the
        // rest (a third of the commit of 20,000 new files).
        let insertChunk = try BoundStatement(db, sql: """
            INSERT INTO chunk (digest, packId, offset, storedLength, rawLength, compression)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (digest) DO NOTHING
            """)
        let insertContent = try BoundStatement(db, sql: "INSERT INTO content (digest, size) VALUES (?1, ?2)")
        let insertContentChunk = try BoundStatement(
            db, sql: "INSERT INTO content_chunk (contentId, seq, chunkId) VALUES (?1, ?2, ?3)")
        var addedBytes: Int64 = 0
        var conflicting: [StoredChunk] = []
        chunkIDs.reserveCapacity(chunkIDs.count + newChunks.count)
        for chunk in newChunks {
            guard let packID = packIDs[chunk.location.packKey] else {
                throw StoreError.catalog("chunk \(chunk.digest) names pack \(chunk.location.packKey) not in this commit")
            }
            try insertChunk.bindDigest(1, chunk.digest)
            insertChunk.bind(2, packID)
            insertChunk.bind(3, chunk.location.offset)
            insertChunk.bind(4, chunk.location.storedLength)
            insertChunk.bind(5, Int64(chunk.location.rawLength))
            insertChunk.bind(6, Int64(chunk.location.compression.rawValue))
            if try insertChunk.run() > 0 {
                addedBytes += chunk.location.storedLength
                chunkIDs[chunk.digest] = db.lastInsertedRowID
            } else {
                conflicting.append(chunk)
            }
        }
        // Stored already: by another writer (the contents use its rows, and this one's record is dead
        // bytes in its pack), or by an earlier batch of this commit, in one of this commit's packs.
        var unused: [StoredChunk] = []
        if !conflicting.isEmpty {
            let ownPacks = Set(packIDs.values)
            let rows = try existingChunkRows(db, digests: conflicting.map(\.digest))
            for chunk in conflicting {
                guard let row = rows[chunk.digest] else {
                    throw StoreError.catalog("chunk \(chunk.digest) vanished during commit")
                }
                chunkIDs[chunk.digest] = row.id
                if !ownPacks.contains(row.packID) { unused.append(chunk) }
            }
        }

        var allContentIDs = contentIDs
        for content in contents where allContentIDs[content.digest] == nil {
            try insertContent.bindDigest(1, content.digest)
            insertContent.bind(2, content.size)
            try insertContent.run()
            let contentID = db.lastInsertedRowID
            allContentIDs[content.digest] = contentID
            for (seq, chunk) in content.chunks.enumerated() {
                guard let chunkID = chunkIDs[chunk] else {
                    // Checked above under the same write lock; throwing rolls everything back.
                    throw StoreError.catalog("chunk \(chunk) of \(content.digest) vanished during commit")
                }
                insertContentChunk.bind(1, contentID)
                insertContentChunk.bind(2, Int64(seq))
                insertContentChunk.bind(3, chunkID)
                try insertContentChunk.run()
            }
        }
        return .stored(StoredContents(contentIDs: allContentIDs, addedBytes: addedBytes, unusedChunks: unused))
    }

    /// The id and pack id of each stored chunk of `digests`.
    func existingChunkRows(_ db: Database, digests: [String]) throws -> [String: (id: Int64, packID: Int64)] {
        var result: [String: (id: Int64, packID: Int64)] = [:]
        for start in stride(from: 0, to: digests.count, by: 500) {
            let slice = digests[start..<min(start + 500, digests.count)]
            let rows = try BoundStatement(
                db, sql: "SELECT id, digest, packId FROM chunk WHERE digest IN (\(databaseQuestionMarks(count: slice.count)))")
            for (position, digest) in slice.enumerated() { try rows.bindDigest(Int32(position + 1), digest) }
            try rows.forEachRow { row in result[row.digest(1)] = (row.int64(0), row.int64(2)) }
        }
        return result
    }

    func existingContentIDs(_ db: Database, digests: [String]) throws -> [String: Int64] {
        try lookupIDs(db, table: "content", digests: digests)
    }

    func existingChunkIDs(_ db: Database, digests: [String]) throws -> [String: Int64] {
        try lookupIDs(db, table: "chunk", digests: digests)
    }

    func lookupIDs(_ db: Database, table: String, digests: [String]) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        result.reserveCapacity(digests.count)
        for start in stride(from: 0, to: digests.count, by: 500) {
            let slice = digests[start..<min(start + 500, digests.count)]
            let rows = try BoundStatement(
                db, sql: "SELECT id, digest FROM \(table) WHERE digest IN (\(databaseQuestionMarks(count: slice.count)))")
            for (position, digest) in slice.enumerated() { try rows.bindDigest(Int32(position + 1), digest) }
            try rows.forEachRow { row in result[row.digest(1)] = row.int64(0) }
        }
        return result
    }
}
