import Foundation
import GRDB

/// Remembers the chunk list of each content this machine has cut for a put to a team server, by
/// content digest, so a later put of files the stat cache recognises needs neither to read them again
/// nor to ask the server for their chunks. A list is only ever what cutting those bytes gave, so an
/// entry never goes stale; a lost file just means cutting again.
final class ChunkListCache: Sendable {
    private let database: DatabaseQueue

    init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try database.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS content_chunks (
                        digest TEXT PRIMARY KEY, size INTEGER NOT NULL, chunks BLOB NOT NULL, lengths BLOB NOT NULL
                    ) WITHOUT ROWID
                    """)
            }
        } catch let error as DatabaseError {
            throw StoreError.catalog("cannot open \(path): \(error.message ?? error.description)")
        }
    }

    /// The remembered cuts of these contents (those it has).
    func contents(_ digests: [String]) -> [String: CutContent] {
        var found: [String: CutContent] = [:]
        let unique = Array(Set(digests))
        var start = 0
        while start < unique.count {
            let batch = Array(unique[start..<min(unique.count, start + 500)])
            start += batch.count
            try? database.read { db in
                let marks = Array(repeating: "?", count: batch.count).joined(separator: ",")
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT digest, size, chunks, lengths FROM content_chunks WHERE digest IN (\(marks))",
                    arguments: StatementArguments(batch))
                while let row = try rows.next() {
                    let digest: String = row[0]
                    let size: Int64 = row[1]
                    let chunks: Data = row[2]
                    let lengths: Data = row[3]
                    guard chunks.count % 32 == 0, lengths.count == chunks.count / 8 else { continue }
                    let count = chunks.count / 32
                    let digests = (0..<count).map { Hex.encode(chunks[chunks.startIndex + $0 * 32..<chunks.startIndex + $0 * 32 + 32]) }
                    let sizes = (0..<count).map { index -> Int in
                        let at = lengths.startIndex + index * 4
                        return lengths[at..<at + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
                    }
                    guard Int64(sizes.reduce(0, +)) == size else { continue }
                    found[digest] = CutContent(
                        record: ContentRecord(digest: digest, size: size, chunks: digests), chunkLengths: sizes)
                }
            }
        }
        return found
    }

    /// Remembers cuts.
    func record(_ contents: [CutContent]) {
        guard !contents.isEmpty else { return }
        try? database.write { db in
            let statement = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO content_chunks (digest, size, chunks, lengths) VALUES (?, ?, ?, ?)
                """)
            for content in contents {
                var chunks = Data()
                for digest in content.record.chunks { chunks.append(contentsOf: Hex.decode(digest) ?? []) }
                var lengths = Data()
                for length in content.chunkLengths { withUnsafeBytes(of: UInt32(length).littleEndian) { lengths.append(contentsOf: $0) } }
                try statement.execute(arguments: [content.record.digest, content.record.size, chunks, lengths])
            }
        }
    }
}
