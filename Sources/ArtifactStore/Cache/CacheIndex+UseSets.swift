#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB

// MARK: Uses of many files at once, kept as one row until a cleanup needs their order
//
// A `get` of 20,000 cached files used to move 20,000 rows in `entry_lastUsed` at its end (delete each
// old key, insert the new one, run the revival trigger): the largest single step of a hard-link get
// after the links themselves. The same uses now go into one `useSet` row: the digests in byte order,
// 32 bytes each, and the first of the clock readings reserved for them. The file at position `i` was
// used at `clock + i`, exactly the reading the per-row update gave it, so the least-recently-used
// order is unchanged; it is written into `entry.lastUsed` ("folded") by the next cleanup, in the
// transaction that chooses what to evict, before anything reads that order.
extension CacheIndex {
    /// At most this many uses wait unfolded: the get that would leave more folds them all, so that a
    /// cleanup never has more than this to fold (about 2 µs a row) and the table stays small.
    static let unfoldedUseLimit = 100_000

    /// Notes that the files `uses` name (in byte order of digest, each at most once) were used now, in
    /// this order; a use with a signature also records that signature (a hard link moves the file's
    /// ctime), at once, since every reader of a row compares it.
    ///
    /// The order of use goes into one `useSet` row (see above). Earlier sets whose every file is in
    /// this one are dropped, since these uses are later (a version fetched again), and all sets are
    /// folded once more than `foldAbove` (``unfoldedUseLimit``) uses wait.
    static func noteUses(
        _ db: Database, _ uses: [(digest: String, signature: FileSignature?)], foldAbove: Int = unfoldedUseLimit
    ) throws {
        guard !uses.isEmpty else { return }
        let digests = try digestBlob(uses.lazy.map(\.digest))
        let first = try tick(db, count: uses.count)
        let evictedThrough = try self.evictedThrough(db)
        // No column of `entry_lastUsed` changes here: SQLite rewrites the row and nothing else.
        let resign = try BoundStatement(db, sql: """
            UPDATE entry SET modifiedNs = ?1, inode = ?2, changedNs = ?3 WHERE digest = ?4 AND lastUsed > ?5
            """)
        for use in uses {
            guard let signature = use.signature else { continue }
            resign.bind(1, signature.modifiedNs)
            resign.bind(2, signature.inode)
            resign.bind(3, signature.changedNs)
            resign.bind(4, use.digest)
            resign.bind(5, evictedThrough)
            try resign.run()
        }

        var waiting = uses.count
        for row in try Row.fetchAll(db, sql: "SELECT clock, digests FROM useSet") {
            let older: Data = row[1]
            if covers(digests, older) {
                try db.execute(sql: "DELETE FROM useSet WHERE clock = ?", arguments: [row[0] as Int64])
            } else {
                waiting += older.count / 32
            }
        }
        try db.execute(sql: "INSERT INTO useSet (clock, digests) VALUES (?, ?)", arguments: [first, digests])
        if waiting > foldAbove { try foldUses(db) }
    }

    /// Writes every waiting use into `entry.lastUsed`, oldest set first, where it is later than the
    /// row's own; rows evicted meanwhile stay evicted. Cleanup calls this first, in its transaction.
    static func foldUses(_ db: Database) throws {
        let sets = try Row.fetchAll(db, sql: "SELECT clock, digests FROM useSet ORDER BY clock")
        guard !sets.isEmpty else { return }
        let evictedThrough = try self.evictedThrough(db)
        try withLargePageCache(db) {
            let mark = try BoundStatement(db, sql: """
                UPDATE entry SET lastUsed = ?1 WHERE digest = ?2 AND lastUsed < ?1 AND lastUsed > ?3
                """)
            for row in sets {
                let first: Int64 = row[0]
                let digests: Data = row[1]
                var position = 0
                while position + 32 <= digests.count {
                    let start = digests.startIndex + position
                    mark.bind(1, first + Int64(position / 32))
                    mark.bind(2, Hex.encode(digests[start..<start + 32]))
                    mark.bind(3, evictedThrough)
                    try mark.run()
                    position += 32
                }
            }
        }
        try db.execute(sql: "DELETE FROM useSet")
    }

    /// Whether any use waits to be folded.
    static func hasUnfoldedUses(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM useSet)") ?? false
    }

    /// The digests as 32-byte values, one after another, in the order given.
    /// - Throws: `StoreError.invalidArgument` for a digest that is not 64 lowercase hex digits.
    static func digestBlob<Digests: Collection>(_ digests: Digests) throws -> Data where Digests.Element == String {
        guard !digests.isEmpty else { return Data() }
        var blob = Data(count: digests.count * 32)
        var invalid: String?
        blob.withUnsafeMutableBytes { out in
            var offset = 0
            for digest in digests {
                guard Hex.decodeLowercase(digest, byteCount: 32, into: out.baseAddress! + offset) else {
                    invalid = digest
                    return
                }
                offset += 32
            }
        }
        if let invalid { throw FileCache.invalidDigest(invalid) }
        return blob
    }

    /// Whether every 32-byte value of `subset` is in `set`, both in ascending byte order.
    static func covers(_ set: Data, _ subset: Data) -> Bool {
        guard subset.count <= set.count else { return false }
        return set.withUnsafeBytes { whole in
            subset.withUnsafeBytes { part in
                var at = 0
                var wanted = 0
                while wanted + 32 <= part.count {
                    var comparison: Int32 = 1
                    while at + 32 <= whole.count {
                        comparison = memcmp(whole.baseAddress! + at, part.baseAddress! + wanted, 32)
                        if comparison >= 0 { break }
                        at += 32
                    }
                    guard comparison == 0 else { return false }
                    wanted += 32
                }
                return true
            }
        }
    }
}
