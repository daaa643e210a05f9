import Foundation
import GRDB

/// The cache's SQLite index (`index.sqlite`): one row per cached file, which projects and
/// artifacts fetched it, live pins, and the running totals.
///
/// The totals live in the single `cacheState` row and are kept by triggers on `entry`, so
/// they change in the same transaction as every insert and eviction and cannot drift from
/// the rows. `cacheState.clock` is the cache's own use clock: nanoseconds since 1970, but
/// strictly increasing across all processes sharing the cache, so least-recently-used
/// order has no ties even when uses fall in the same clock tick.
struct CacheIndex: Sendable {
    /// One cached file as the index records it.
    struct Entry: Sendable {
        var digest: String
        var size: Int64
        var signature: FileSignature
        var lastUsed: Int64
    }

    let pool: DatabasePool

    /// Opens (creating it if needed) the index at `path` and brings its schema up to date.
    init(path: String) throws {
        var configuration = Configuration()
        // Several processes (a `get`, a `cache cleanup`) may share one cache: wait for the
        // write lock instead of failing at once.
        configuration.busyMode = .timeout(30)
        configuration.label = "arttui.cache"
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
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
        return migrator
    }

    // MARK: Reading

    static func entry(_ db: Database, digest: String) throws -> Entry? {
        // Cached statements: compiling each one anew (and GRDB authorizing it) cost more than running it.
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT size, modifiedNs, inode, changedNs, lastUsed FROM entry WHERE digest = ?"),
            arguments: [digest])
        return row.map {
            Entry(
                digest: digest, size: $0[0],
                signature: FileSignature(size: $0[0], modifiedNs: $0[1], inode: $0[2], changedNs: $0[3]),
                lastUsed: $0[4])
        }
    }

    static func totals(_ db: Database) throws -> (bytes: Int64, files: Int) {
        let row = try Row.fetchOne(db, sql: "SELECT bytes, files FROM cacheState WHERE id = 1")
        guard let row else { throw StoreError.catalog("cache index has no state row") }
        return (row[0], row[1])
    }

    // MARK: Writing

    /// Advances the use clock and returns its new reading.
    static func tick(_ db: Database) throws -> Int64 {
        try db.cachedStatement(sql: "UPDATE cacheState SET clock = MAX(clock + 1, ?) WHERE id = 1")
            .execute(arguments: [wallClockNanoseconds()])
        return try Int64.fetchOne(db.cachedStatement(sql: "SELECT clock FROM cacheState WHERE id = 1")) ?? 0
    }

    /// Records (or replaces) the row of a file just put into place.
    static func record(_ db: Database, digest: String, signature: FileSignature) throws {
        let now = try tick(db)
        try db.cachedStatement(
            sql: """
                INSERT INTO entry (digest, size, modifiedNs, inode, changedNs, lastUsed)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (digest) DO UPDATE SET
                    size = excluded.size, modifiedNs = excluded.modifiedNs, inode = excluded.inode,
                    changedNs = excluded.changedNs, lastUsed = excluded.lastUsed
                """).execute(
            arguments: [digest, signature.size, signature.modifiedNs, signature.inode, signature.changedNs, now])
    }

    /// Marks a file used now, optionally with a fresh signature and a new owner.
    /// Returns false when the row is gone (evicted meanwhile).
    @discardableResult
    static func touch(
        _ db: Database, digest: String, signature: FileSignature? = nil, owner: CacheOwner?
    ) throws -> Bool {
        let now = try tick(db)
        if let signature {
            try db.cachedStatement(
                sql: """
                    UPDATE entry SET lastUsed = ?, modifiedNs = ?, inode = ?, changedNs = ?
                    WHERE digest = ?
                    """).execute(
                arguments: [now, signature.modifiedNs, signature.inode, signature.changedNs, digest])
        } else {
            try db.cachedStatement(sql: "UPDATE entry SET lastUsed = ? WHERE digest = ?").execute(arguments: [now, digest])
        }
        guard db.changesCount > 0 else { return false }
        if let owner {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO owner (digest, project, artifact) VALUES (?, ?, ?)")
                .execute(arguments: [digest, owner.project, owner.artifact])
        }
        return true
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
