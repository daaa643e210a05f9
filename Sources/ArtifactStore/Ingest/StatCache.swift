import Dispatch
import Foundation
import GRDB

/// Remembers the digest of each file `put` has read, by path and stat signature, so a file whose
/// size, mtime, inode and ctime have not changed is not read again.
///
/// Local to one machine (paths and inodes mean nothing elsewhere), so it lives beside the catalog,
/// not in it. A file whose mtime or ctime was within the racy window of the moment its content was
/// checked is not remembered: a later change in the same timestamp tick would leave its signature
/// unchanged (git's "racy clean" problem). The window must exceed the file system's timestamp
/// granularity: 100 ms when the timestamps carry sub-second parts (Linux takes them from a clock of
/// 1-10 ms ticks), 2 s when they are whole seconds (file systems that keep only seconds, or two).
final class StatCache: Sendable {
    /// One remembered file.
    struct Entry: Sendable {
        var signature: FileSignature
        var digest: String
        /// The wall clock just before the signature was last confirmed (after the read), for the
        /// racy-window test; 0 for entries read back from the database.
        var checkedNs: Int64 = 0
    }

    /// The racy window for timestamps with sub-second parts.
    static let fineRacyWindowNs: Int64 = 100_000_000
    /// The racy window for timestamps in whole seconds.
    static let coarseRacyWindowNs: Int64 = 2_000_000_000

    /// A window that replaces both (tests), or nil.
    private let racyWindowNs: Int64?
    private let database: DatabaseQueue

    init(path: String, racyWindowNs: Int64? = nil) throws {
        self.racyWindowNs = racyWindowNs
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.prepareDatabase { db in
            // A cache: in WAL mode a commit then waits for no fsync (a checkpoint still makes the file
            // durable), and what a crash loses is only the newest entries, whose files are read again.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The log outlives the connection, cut to nothing once the closing connection has
            // checkpointed it, so that the next open has no frames to read back.
            try db.keepWriteAheadLogFiles()
            _ = try Int.fetchOne(db, sql: "PRAGMA journal_size_limit = 0")
        }
        // Switched to WAL once, below: GRDB's own WAL set-up on every open fails with "database is
        // locked" when several first puts create the file at once.
        configuration.journalMode = .default
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            let ready = { (db: Database) in try db.tableExists("stat_entry") }
            if (try? database.read(ready)) != true {
                // Processes creating the file at once take turns; the later ones find it made.
                let lock = try FileLock(path: path + ".setup-lock")
                defer { lock.release() }
                if try !database.read(ready) {
                    try database.writeWithoutTransaction { db in
                        if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                        }
                    }
                    try database.write { db in
                        try db.execute(sql: """
                            CREATE TABLE IF NOT EXISTS stat_entry (
                                path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL,
                                inode INTEGER NOT NULL, ctime INTEGER NOT NULL, digest TEXT NOT NULL
                            ) WITHOUT ROWID
                            """)
                    }
                }
            }
        } catch let error as DatabaseError {
            throw StoreError.catalog("cannot open \(path): \(error.message ?? error.description)")
        }
    }

    /// The remembered entries of these absolute paths, one per path and in the same order: nil where
    /// nothing is remembered, and for a nil path (an entry made in memory, which has no file).
    func entries(for paths: [String?]) -> [Entry?] {
        var result = [Entry?](repeating: nil, count: paths.count)
        // The paths' positions in byte order, which is the order of the rows: one range scan from the
        // first path to the last, walked in step with the paths, instead of a lookup per path or a
        // table keyed by path (hashing every path twice and a string per row was a tenth of an
        // unchanged put's CPU). The paths of one put share their directories, so the range holds
        // little else; a put of one directory gives them in this order already.
        let present = paths.indices.filter { paths[$0] != nil }
        guard !present.isEmpty else { return result }
        let sorted = zip(present, present.dropFirst()).allSatisfy { !ByteOrder.precedes(paths[$1]!, paths[$0]!) }
        let order = sorted ? present : ByteOrder.order(of: present.map { paths[$0]! }).map { present[$0] }
        let sortedPaths = order.map { paths[$0]! }
        try? database.read { db in
            let rows = try BoundStatement(db, sql: """
                SELECT path, size, mtime, inode, ctime, digest FROM stat_entry WHERE path BETWEEN ?1 AND ?2 ORDER BY path
                """)
            try rows.forEachRow(inStepWith: sortedPaths) { position, row in
                result[order[position]] = Entry(
                    signature: FileSignature(
                        size: row.int64(1), modifiedNs: row.int64(2), inode: row.int64(3), changedNs: row.int64(4)),
                    digest: row.text(5))
            }
        }
        return result
    }

    /// Whether an entry's timestamps were old enough, when it was checked, to be trusted later.
    func isTrustworthy(_ entry: Entry) -> Bool {
        let signature = entry.signature
        let second: Int64 = 1_000_000_000
        let wholeSeconds = signature.modifiedNs % second == 0 && signature.changedNs % second == 0
        let window = racyWindowNs ?? (wholeSeconds ? Self.coarseRacyWindowNs : Self.fineRacyWindowNs)
        return entry.checkedNs - max(signature.modifiedNs, signature.changedNs) > window
    }

    /// Remembers files just read (by absolute path), skipping those modified too recently to trust their
    /// mtime. A path given twice keeps its last entry.
    func record(_ entries: [(path: String, entry: Entry)]) {
        let trusted = self.trusted(entries)
        guard !trusted.isEmpty else { return }
        try? database.write { db in try Self.insert(trusted, into: db) }
    }

    /// Starts remembering files just read, as `record(_:)` does, on another thread and in a transaction
    /// that the returned value's `finish(keeping:)` commits or rolls back: a put writes its stat cache
    /// while it commits the version on its own thread, and a commit that fails leaves the cache as it
    /// was. Nil when there is nothing to remember.
    func stage(_ entries: [(path: String, entry: Entry)]) -> StagedStatEntries? {
        let trusted = self.trusted(entries)
        guard !trusted.isEmpty else { return nil }
        let staged = StagedStatEntries()
        let (database, decision) = (self.database, staged.decision)
        DispatchQueue.global().async {
            try? database.write { db in
                try Self.insert(trusted, into: db)
                guard decision.awaitDecision() else { throw StagedStatEntries.Discarded() }
            }
            decision.markOver()
        }
        return staged
    }

    /// The entries whose signatures can be trusted: the caller's own array when all can (the usual
    /// put of files not just written), where a filtered copy was 9 MiB per 100,000 files held beside it.
    private func trusted(_ entries: [(path: String, entry: Entry)]) -> [(path: String, entry: Entry)] {
        entries.allSatisfy { isTrustworthy($0.entry) } ? entries : entries.filter { isTrustworthy($0.entry) }
    }

    private static func insert(_ trusted: [(path: String, entry: Entry)], into db: Database) throws {
        let statement = try BoundStatement(db, sql: """
            INSERT OR REPLACE INTO stat_entry (path, size, mtime, inode, ctime, digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        for (path, entry) in trusted {
            let signature = entry.signature
            statement.bind(1, path)
            statement.bind(2, signature.size)
            statement.bind(3, signature.modifiedNs)
            statement.bind(4, signature.inode)
            statement.bind(5, signature.changedNs)
            statement.bind(6, entry.digest)
            try statement.run()
        }
    }
}
