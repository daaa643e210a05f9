#if canImport(Glibc)
import Glibc
#endif
import Foundation
import CSQLiteConfig
import GRDB
import GRDBSQLite

/// The cache's SQLite index (`index.sqlite`): one row per cached file, which projects and
/// artifacts fetched it, live pins, and the running totals.
///
/// The totals live in the single `cacheState` row and are kept by triggers on `entry`, so
/// they change in the same transaction as every insert and eviction and cannot drift from
/// the rows. `cacheState.clock` is the cache's own use clock: nanoseconds since 1970, but
/// strictly increasing across all processes sharing the cache, so least-recently-used
/// order has no ties even when uses fall in the same clock tick.
///
/// A cleanup evicts by recording a cutoff, `cacheState.evictedThrough`: every row used no later
/// than it is evicted, absent to every reader (see ``live``), and out of the totals at once. The
/// rows and their files are deleted afterwards by whoever unlinks (`FileCache.finishPendingUnlinks`),
/// so the cleanup's commit costs the same for ten files as for 100,000.
struct CacheIndex: Sendable {
    /// One cached file as the index records it.
    struct Entry: Sendable {
        var digest: String
        var size: Int64
        var signature: FileSignature
        var lastUsed: Int64
    }

    /// One connection, whose calls from several threads take turns. Not a `DatabasePool`: its set-up
    /// opens a second connection for reads and, on every open, asks Foundation for the WAL's size
    /// (`URL.resourceValues`, which looks up user and group names), a fixed cost of every `get` that
    /// a few queries of a few rows each do not repay.
    let database: DatabaseQueue

    /// Opens (creating it if needed) the index at `path` and brings its schema up to date.
    init(path: String) throws {
        var configuration = Configuration()
        // Several processes (a `get`, a `cache cleanup`) may share one cache: wait for the
        // write lock instead of failing at once.
        configuration.busyMode = .timeout(30)
        configuration.label = "arttui.cache"
        configuration.prepareDatabase { db in
            // Keep the WAL file, unchecked, when the last connection closes. Otherwise SQLite
            // checkpoints it and deletes it, and the next command (every `get`, `cache size`) creates
            // it again: syncs of the WAL, its directory and the index each time, 150 ms apiece on a
            // busy disk. Writers still checkpoint as usual (every 1,000 pages).
            try db.keepWriteAheadLogFiles()
            let code = arttui_sqlite_no_checkpoint_on_close(db.sqliteConnection)
            guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
            // WAL, so that a `get` writing its uses does not block a `cache size` reading the totals;
            // a no-op on an index in WAL mode already. Commits in WAL mode need no sync: a crash may
            // lose the last uses recorded, never the index.
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            guard mode == "wal" else {
                throw DatabaseError(message: "could not switch the cache index \(path) to WAL mode (it is in \(mode ?? "no") mode)")
            }
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        database = try DatabaseQueue(path: path, configuration: configuration)
        // Migrated only when a read finds the schema out of date, so that opening the cache (every
        // `get`, `cache size`) asks for no write access.
        let migrator = Self.migrator
        if try !database.read({ try migrator.hasCompletedMigrations($0) }) {
            try migrator.migrate(database)
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE cacheState (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    bytes INTEGER NOT NULL,
                    files INTEGER NOT NULL,
                    clock INTEGER NOT NULL);
                INSERT INTO cacheState (id, bytes, files, clock) VALUES (1, 0, 0, 0);

                CREATE TABLE entry (
                    digest TEXT PRIMARY KEY NOT NULL,
                    size INTEGER NOT NULL,
                    modifiedNs INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    changedNs INTEGER NOT NULL,
                    lastUsed INTEGER NOT NULL) WITHOUT ROWID;
                CREATE INDEX entry_lastUsed ON entry (lastUsed);

                CREATE TRIGGER entry_added AFTER INSERT ON entry BEGIN
                    UPDATE cacheState SET bytes = bytes + NEW.size, files = files + 1 WHERE id = 1;
                END;
                CREATE TRIGGER entry_removed AFTER DELETE ON entry BEGIN
                    UPDATE cacheState SET bytes = bytes - OLD.size, files = files - 1 WHERE id = 1;
                END;
                CREATE TRIGGER entry_resized AFTER UPDATE OF size ON entry BEGIN
                    UPDATE cacheState SET bytes = bytes - OLD.size + NEW.size WHERE id = 1;
                END;

                -- Which project/artifact fetched each file; a file may have several. No foreign
                -- key: a cascade costs more than the bulk delete of a cleanup (0.25 s per 50,000
                -- rows), so rows are removed with their entry by `deleteOwners`.
                CREATE TABLE owner (
                    digest TEXT NOT NULL,
                    project TEXT NOT NULL,
                    artifact TEXT NOT NULL,
                    PRIMARY KEY (digest, project, artifact)) WITHOUT ROWID;
                CREATE INDEX owner_project ON owner (project, artifact);

                -- Files a running process uses; `token` names its lock file under pins/.
                -- Not tied to `entry`: a process pins what it needs before fetching it.
                CREATE TABLE pin (
                    token TEXT NOT NULL,
                    digest TEXT NOT NULL,
                    PRIMARY KEY (token, digest)) WITHOUT ROWID;
                CREATE INDEX pin_digest ON pin (digest);

                -- Files whose rows are gone but which may still be on disk: written in the
                -- transaction that deletes the rows, cleared once the files are unlinked, and
                -- finished by the next open after a crash in between.
                CREATE TABLE pendingUnlink (
                    batch TEXT NOT NULL,
                    digest TEXT NOT NULL,
                    inode INTEGER NOT NULL,
                    PRIMARY KEY (batch, digest)) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-eviction-cutoff") { db in
            // Totals count live rows only: deleting an evicted row changes nothing, and a row that an
            // insert brings back from eviction counts again (without the owners it had then).
            try db.execute(sql: """
                ALTER TABLE cacheState ADD COLUMN evictedThrough INTEGER NOT NULL DEFAULT 0;

                DROP TRIGGER entry_removed;
                CREATE TRIGGER entry_removed AFTER DELETE ON entry
                WHEN OLD.lastUsed > (SELECT evictedThrough FROM cacheState WHERE id = 1) BEGIN
                    UPDATE cacheState SET bytes = bytes - OLD.size, files = files - 1 WHERE id = 1;
                END;
                DROP TRIGGER entry_resized;
                CREATE TRIGGER entry_resized AFTER UPDATE OF size ON entry
                WHEN OLD.lastUsed > (SELECT evictedThrough FROM cacheState WHERE id = 1) BEGIN
                    UPDATE cacheState SET bytes = bytes - OLD.size + NEW.size WHERE id = 1;
                END;
                CREATE TRIGGER entry_revived AFTER UPDATE OF lastUsed ON entry
                WHEN OLD.lastUsed <= (SELECT evictedThrough FROM cacheState WHERE id = 1)
                 AND NEW.lastUsed > (SELECT evictedThrough FROM cacheState WHERE id = 1) BEGIN
                    UPDATE cacheState SET bytes = bytes + NEW.size, files = files + 1 WHERE id = 1;
                    DELETE FROM owner WHERE digest = NEW.digest;
                END;
                """)
        }
        migrator.registerMigration("v3-pin-sets") { db in
            // One row per pin, its digests in one blob (32 bytes each, sorted): a get of 20,000 files
            // wrote 20,000 rows into `pin` and its index, and deleted them again, for a pin that only
            // a cleanup ever reads. `pin` stays for pins made by earlier releases sharing the cache.
            try db.execute(sql: """
                CREATE TABLE pinSet (
                    token TEXT PRIMARY KEY NOT NULL,
                    digests BLOB NOT NULL) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4-use-sets") { db in
            // The uses of a get's files as one row, folded into `entry.lastUsed` by the next cleanup
            // (see CacheIndex+UseSets.swift). An earlier release sharing the cache ignores the rows: its
            // cleanup orders by the folded uses only.
            try db.execute(sql: """
                CREATE TABLE useSet (
                    clock INTEGER PRIMARY KEY,
                    digests BLOB NOT NULL);
                """)
        }
        return migrator
    }

    /// The SQL condition that a row of `entry` (named `table` in the query) is not evicted: used
    /// after the last cleanup's cutoff. Every reader of `entry` applies it.
    static func live(_ table: String = "entry") -> String {
        "\(table).lastUsed > (SELECT evictedThrough FROM cacheState WHERE id = 1)"
    }

    /// The opposite of ``live(_:)``, written so that SQLite searches `entry_lastUsed` for it: `NOT` in
    /// front of the comparison made every open of the cache scan all of its rows.
    static func evicted(_ table: String = "entry") -> String {
        "\(table).lastUsed <= (SELECT evictedThrough FROM cacheState WHERE id = 1)"
    }

    // MARK: Reading

    static func entry(_ db: Database, digest: String) throws -> Entry? {
        // Cached statements: compiling each one anew (and GRDB authorizing it) cost more than running it.
        let row = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT size, modifiedNs, inode, changedNs, lastUsed FROM entry WHERE digest = ? AND \(live())
                """),
            arguments: [digest])
        return row.map {
            Entry(
                digest: digest, size: $0[0],
                signature: FileSignature(size: $0[0], modifiedNs: $0[1], inode: $0[2], changedNs: $0[3]),
                lastUsed: $0[4])
        }
    }

    /// The live rows of these files, by digest.
    static func entries(_ db: Database, digests: [String]) throws -> [String: Entry] {
        var entries: [String: Entry] = [:]
        try forEachEntry(db, sorted: ByteOrder.sorted(digests)) { _, entry in
            if entries.isEmpty { entries.reserveCapacity(digests.count) }
            entries[entry.digest] = entry
        }
        return entries
    }

    /// Calls `body` with the position and live row of each of these files that has one; `digests` are
    /// in byte order (a pin's are), so their rows are read in one walk when that pays.
    static func forEachEntry(_ db: Database, sorted digests: [String], _ body: (Int, Entry) throws -> Void) throws {
        let evictedThrough = try self.evictedThrough(db)
        func entry(_ position: Int, _ row: BoundStatement.Row) throws {
            let size = row.int64(1)
            try body(position, Entry(
                digest: digests[position], size: size,
                signature: FileSignature(size: size, modifiedNs: row.int64(2), inode: row.int64(3), changedNs: row.int64(4)),
                lastUsed: row.int64(5)))
        }
        if try scanPays(db, digests: digests.count) {
            // The eviction cutoff is checked here rather than in SQL, where SQLite would take the
            // `lastUsed` index and sort its rows by digest again.
            let rows = try BoundStatement(db, sql: """
                SELECT digest, size, modifiedNs, inode, changedNs, lastUsed FROM entry
                WHERE digest BETWEEN ?1 AND ?2 ORDER BY digest
                """)
            try rows.forEachRow(inStepWith: digests) { position, row in
                if row.int64(5) > evictedThrough { try entry(position, row) }
            }
            return
        }
        let lookup = try BoundStatement(db, sql: """
            SELECT digest, size, modifiedNs, inode, changedNs, lastUsed FROM entry WHERE digest = ?1 AND lastUsed > ?2
            """)
        for (position, digest) in digests.enumerated() {
            lookup.bind(1, digest)
            lookup.bind(2, evictedThrough)
            try lookup.forEachRow { try entry(position, $0) }
        }
    }

    /// Whether reading rows for `digests` files is cheaper as one walk of the table in digest order
    /// than as a lookup per file: when they are more than an eighth of the cache's files. A lookup
    /// costs about as much as stepping over ten rows, and a `get` of a version already fetched asks
    /// for thousands of them (20,600 lookups of the rows and 20,600 of the owners were a fifth of a
    /// hard-link get's CPU, all of it after the links or before them, on one core).
    private static func scanPays(_ db: Database, digests: Int) throws -> Bool {
        guard digests >= 64 else { return false }
        return digests * 8 >= (try totals(db).files)
    }

    // MARK: Pins

    /// Pins files under `token`: one row, whatever their number.
    static func pin(_ db: Database, token: String, digests: [String]) throws {
        try db.execute(
            sql: "INSERT INTO pinSet (token, digests) VALUES (?, ?)", arguments: [token, digestBlob(digests)])
    }

    /// Removes the pin `token` (and any rows an earlier release wrote for it).
    static func unpin(_ db: Database, token: String) throws {
        try db.execute(sql: "DELETE FROM pinSet WHERE token = ?", arguments: [token])
        try db.execute(sql: "DELETE FROM pin WHERE token = ?", arguments: [token])
    }

    /// Every pin's token with its digests, pins of earlier releases (rows in `pin`) included.
    static func pins(_ db: Database) throws -> [String: Set<String>] {
        var pins: [String: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT token, digests FROM pinSet") {
            let blob: Data = row[1]
            var digests = Set<String>(minimumCapacity: blob.count / 32)
            var start = blob.startIndex
            while start + 32 <= blob.endIndex {
                digests.insert(Hex.encode(blob[start..<start + 32]))
                start += 32
            }
            pins[row[0] as String, default: []].formUnion(digests)
        }
        for row in try Row.fetchAll(db, sql: "SELECT token, digest FROM pin") {
            pins[row[0] as String, default: []].insert(row[1])
        }
        return pins
    }

    /// The digests some pin protects. Cheap when no pin exists (the usual case outside a `get`).
    static func pinnedDigests(_ db: Database) throws -> Set<String> {
        try pins(db).values.reduce(into: Set<String>()) { $0.formUnion($1) }
    }

    static func totals(_ db: Database) throws -> (bytes: Int64, files: Int) {
        let row = try Row.fetchOne(db, sql: "SELECT bytes, files FROM cacheState WHERE id = 1")
        guard let row else { throw StoreError.catalog("cache index has no state row") }
        return (row[0], row[1])
    }

    // MARK: Writing

    /// Advances the use clock and returns its new reading.
    static func tick(_ db: Database) throws -> Int64 {
        try tick(db, count: 1)
    }

    /// Records (or replaces) the row of a file just put into place.
    static func record(_ db: Database, digest: String, signature: FileSignature) throws {
        try record(db, [(digest, signature)])
    }

    /// Marks a file used now, optionally with a fresh signature and a new owner.
    /// Returns false when the row is gone (evicted meanwhile).
    @discardableResult
    static func touch(
        _ db: Database, digest: String, signature: FileSignature? = nil, owner: CacheOwner?
    ) throws -> Bool {
        guard try touch(db, [(digest, signature)]) > 0 else { return false }
        if let owner { try addOwner(db, owner, digests: [digest]) }
        return true
    }

    /// The WAL size above which a writer empties it (see ``trimWriteAheadLog()``).
    ///
    /// Every open reads the whole WAL back to rebuild its index, and every `get` from the cache adds
    /// its uses to it (about 20 KB for a version of 9 files): a hard-link `get` of 9 cached files took
    /// about 5 ms more CPU with a 4 MiB WAL than with an empty one. At 1 MiB the log is read back at
    /// 0.5 MiB on average instead of 2, for one checkpoint every ~50 such gets.
    static let walTrimBytes: Int64 = 1 << 20

    /// Checkpoints the WAL into the index and truncates it, when it has grown past
    /// ``walTrimBytes``: the WAL outlives each command (see `init`), and the next open would read
    /// all of it back. For the end of a big write (a `get` of thousands of files, the unlinker);
    /// best effort, since a busy reader only delays it to the next one.
    func trimWriteAheadLog() {
        var status = stat()
        guard stat(database.path + "-wal", &status) == 0, Int64(status.st_size) > Self.walTrimBytes else { return }
        _ = try? database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Runs `body` with a 64 MiB page cache instead of SQLite's 2 MB: a cleanup of 100,000 files
    /// changes more pages than that in one transaction, and would spill them to the WAL and read them
    /// back. Only for such transactions, since the pages stay allocated while the connection lives.
    static func withLargePageCache<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        let usual = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -65536")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(usual)") }
        return try body()
    }

    // MARK: Writing many rows at once
    //
    // A `get` records thousands of files at its end, in one transaction: one prepared statement run
    // per row with its values bound directly (see ``BoundStatement``), and one clock tick for all.
    // (JSON arrays unpacked by `json_each` cost twice as much: building the text, parsing it, and the
    // statement journal SQLite writes for an UPDATE ... FROM of many rows.)

    /// Records (or replaces) the rows of files just put into place, in this order of use.
    static func record(_ db: Database, _ files: [(digest: String, signature: FileSignature)]) throws {
        guard !files.isEmpty else { return }
        let first = try tick(db, count: files.count)
        let upsert = try BoundStatement(db, sql: """
            INSERT INTO entry (digest, size, modifiedNs, inode, changedNs, lastUsed) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (digest) DO UPDATE SET
                size = excluded.size, modifiedNs = excluded.modifiedNs, inode = excluded.inode,
                changedNs = excluded.changedNs, lastUsed = excluded.lastUsed
            """)
        for (offset, file) in files.enumerated() {
            upsert.bind(1, file.digest)
            upsert.bind(2, file.signature.size)
            upsert.bind(3, file.signature.modifiedNs)
            upsert.bind(4, file.signature.inode)
            upsert.bind(5, file.signature.changedNs)
            upsert.bind(6, first + Int64(offset))
            try upsert.run()
        }
    }

    /// Marks files used, in this order, with a fresh signature where one is given. Files whose
    /// rows are gone are skipped. Returns how many rows were marked.
    @discardableResult
    static func touch(_ db: Database, _ uses: [(digest: String, signature: FileSignature?)]) throws -> Int {
        guard !uses.isEmpty else { return 0 }
        let first = try tick(db, count: uses.count)
        let evictedThrough = try self.evictedThrough(db)
        let mark = try BoundStatement(db, sql: """
            UPDATE entry SET lastUsed = ?1, modifiedNs = coalesce(?2, modifiedNs), inode = coalesce(?3, inode),
                             changedNs = coalesce(?4, changedNs)
            WHERE digest = ?5 AND lastUsed > ?6
            """)
        var marked = 0
        for (offset, use) in uses.enumerated() {
            mark.bind(1, first + Int64(offset))
            mark.bind(2, use.signature?.modifiedNs)
            mark.bind(3, use.signature?.inode)
            mark.bind(4, use.signature?.changedNs)
            mark.bind(5, use.digest)
            mark.bind(6, evictedThrough)
            marked += try mark.run()
        }
        return marked
    }

    /// Notes `owner` as a user of the files that still have rows; `sorted` says `digests` are in byte
    /// order already.
    static func addOwner(_ db: Database, _ owner: CacheOwner, digests: [String], sorted: Bool = false) throws {
        guard !digests.isEmpty else { return }
        let evictedThrough = try self.evictedThrough(db)
        let insert = try BoundStatement(db, sql: """
            INSERT OR IGNORE INTO owner (digest, project, artifact)
            SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM entry WHERE digest = ?1 AND lastUsed > ?4)
            """)
        let toNote = try scanPays(db, digests: digests.count)
            ? notOwned(db, owner, sorted ? digests : ByteOrder.sorted(digests)) : digests
        for digest in toNote {
            insert.bind(1, digest)
            insert.bind(2, owner.project)
            insert.bind(3, owner.artifact)
            insert.bind(4, evictedThrough)
            try insert.run()
        }
    }

    /// The digests among `sorted` (in byte order) that `owner` is not yet noted for, found by walking the owner's rows
    /// (the `owner_project` index holds them in digest order): a `get` of a version fetched before notes
    /// its owner again for every file, and an insert that changes nothing costs two lookups.
    private static func notOwned(_ db: Database, _ owner: CacheOwner, _ sorted: [String]) throws -> [String] {
        var owned = [Bool](repeating: false, count: sorted.count)
        let rows = try BoundStatement(db, sql: """
            SELECT digest FROM owner WHERE project = ?3 AND artifact = ?4 AND digest BETWEEN ?1 AND ?2 ORDER BY digest
            """)
        rows.bind(3, owner.project)
        rows.bind(4, owner.artifact)
        try rows.forEachRow(inStepWith: sorted) { position, _ in owned[position] = true }
        return sorted.indices.filter { !owned[$0] }.map { sorted[$0] }
    }

    /// The eviction cutoff: rows used no later than it are evicted (see ``live(_:)``).
    static func evictedThrough(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT evictedThrough FROM cacheState WHERE id = 1") ?? 0
    }

    /// Advances the use clock by `count` and returns the first of the readings reserved.
    static func tick(_ db: Database, count: Int) throws -> Int64 {
        try db.execute(
            sql: "UPDATE cacheState SET clock = MAX(clock + ?, ?) WHERE id = 1",
            arguments: [count, wallClockNanoseconds()])
        let last = try Int64.fetchOne(db, sql: "SELECT clock FROM cacheState WHERE id = 1") ?? 0
        return last - Int64(count) + 1
    }

    /// Deletes the row of one file and notes the file for unlinking under `batch`.
    static func remove(_ db: Database, digest: String, batch: String) throws -> Entry? {
        guard let entry = try entry(db, digest: digest) else { return nil }
        try db.execute(
            sql: "INSERT OR REPLACE INTO pendingUnlink (batch, digest, inode) VALUES (?, ?, ?)",
            arguments: [batch, digest, entry.signature.inode])
        try db.execute(sql: "DELETE FROM entry WHERE digest = ?", arguments: [digest])
        try deleteOwners(db, batch: batch)
        return entry
    }

    /// Deletes the ownership rows of the files noted for unlinking under `batch`, whose
    /// entries were just deleted.
    static func deleteOwners(_ db: Database, batch: String) throws {
        try db.execute(
            sql: "DELETE FROM owner WHERE digest IN (SELECT digest FROM pendingUnlink WHERE batch = ?)",
            arguments: [batch])
    }
}
