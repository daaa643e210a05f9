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
    /// ran between the writer's "the store has this chunk" check and this transaction.
    func insertContents(_ db: Database, contents: [ContentRecord], newChunks: [StoredChunk], packs: [ObjectInfo])
        throws -> ContentInsertion
    {
        // Chunks the writer skipped because the store had them must still be here: a concurrent
        // delete may have taken them between the writer's check and this transaction.
        let written = Set(newChunks.map(\.digest))
        let contentIDs = try existingContentIDs(db, digests: contents.map(\.digest))
        let newContents = contents.filter { contentIDs[$0.digest] == nil }
        // A content the writer took from its stat cache comes without chunks: it must still be here.
        let vanished = newContents.filter { $0.chunks.isEmpty && $0.size > 0 }.map(\.digest)
        if !vanished.isEmpty { return .missing(Set(vanished)) }
        let reliedByNewContents = Set(newContents.flatMap(\.chunks)).subtracting(written)
        if !reliedByNewContents.isEmpty {
            let present = try existingChunkIDs(db, digests: Array(reliedByNewContents))
            let missing = reliedByNewContents.subtracting(present.keys)
            if !missing.isEmpty { return .missing(missing) }
        }

        var packIDs: [String: Int64] = [:]
        for pack in packs {
            try db.execute(sql: "INSERT INTO pack (key, size) VALUES (?, ?)", arguments: [pack.key, pack.size])
            packIDs[pack.key] = db.lastInsertedRowID
        }
        // Statements prepared once: compiling (and GRDB authorizing) one per row cost more than running it.
        let insertChunk = try db.cachedStatement(sql: """
            INSERT INTO chunk (digest, packId, offset, storedLength, rawLength, compression)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING
            """)
        let insertContent = try db.cachedStatement(sql: "INSERT INTO content (digest, size) VALUES (?, ?)")
        let insertContentChunk = try db.cachedStatement(
            sql: "INSERT INTO content_chunk (contentId, seq, chunkId) VALUES (?, ?, ?)")
        var addedBytes: Int64 = 0
        var unused: [StoredChunk] = []
        for chunk in newChunks {
            guard let packID = packIDs[chunk.location.packKey] else {
                throw StoreError.catalog("chunk \(chunk.digest) names pack \(chunk.location.packKey) not in this commit")
            }
            try insertChunk.execute(arguments: [
                    try CatalogDigest.blob(chunk.digest), packID, chunk.location.offset, chunk.location.storedLength,
                    chunk.location.rawLength, chunk.location.compression.rawValue,
                ])
            if db.changesCount > 0 {
                addedBytes += chunk.location.storedLength
            } else {
                unused.append(chunk)
            }
        }

        var allContentIDs = contentIDs
        let chunkIDs = try existingChunkIDs(db, digests: Array(Set(
            contents.filter { contentIDs[$0.digest] == nil }.flatMap(\.chunks))))
        for content in contents where allContentIDs[content.digest] == nil {
            try insertContent.execute(arguments: [try CatalogDigest.blob(content.digest), content.size])
            let contentID = db.lastInsertedRowID
            allContentIDs[content.digest] = contentID
            for (seq, chunk) in content.chunks.enumerated() {
                guard let chunkID = chunkIDs[chunk] else {
                    // Checked above under the same write lock; throwing rolls everything back.
                    throw StoreError.catalog("chunk \(chunk) of \(content.digest) vanished during commit")
                }
                try insertContentChunk.execute(arguments: [contentID, seq, chunkID])
            }
        }
        return .stored(StoredContents(contentIDs: allContentIDs, addedBytes: addedBytes, unusedChunks: unused))
    }

    func existingContentIDs(_ db: Database, digests: [String]) throws -> [String: Int64] {
        try lookupIDs(db, table: "content", digests: digests)
    }

    func existingChunkIDs(_ db: Database, digests: [String]) throws -> [String: Int64] {
        try lookupIDs(db, table: "chunk", digests: digests)
    }

    func lookupIDs(_ db: Database, table: String, digests: [String]) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for start in stride(from: 0, to: digests.count, by: 500) {
            let slice = Array(digests[start..<min(start + 500, digests.count)])
            for row in try Row.fetchAll(
                db, sql: "SELECT id, digest FROM \(table) WHERE digest IN (\(databaseQuestionMarks(count: slice.count)))",
                arguments: StatementArguments(try CatalogDigest.blobs(slice)))
            {
                result[CatalogDigest.hex(row, 1)] = row[0]
            }
        }
        return result
    }
}
