import Foundation
import GRDB

/// The embedded catalog: one SQLite database in WAL mode, shared safely by several processes.
///
/// Writes run in IMMEDIATE transactions, so two processes committing to one artifact are serialized
/// and get consecutive version numbers; readers in other processes never block writers. Opening the
/// catalog writes nothing unless it must create or migrate it, so read-only commands leave the store's
/// files exactly as they were.
public final class SQLiteCatalog: Catalog {
    let database: DatabaseQueue
    /// The database file.
    public let path: String

    /// How many versions `find` with a limit looks at first, in its order, before it searches from the
    /// conditions instead (see `findVersions`); tests make it small to reach both ways.
    let searchWindow: Int

    /// Opens (and creates or migrates) the catalog at `path`.
    public convenience init(path: String) throws {
        try self.init(path: path, searchWindow: 10_000)
    }

    init(path: String, searchWindow: Int) throws {
        self.path = path
        self.searchWindow = searchWindow
        var configuration = Configuration()
        configuration.busyMode = .timeout(120)
        configuration.foreignKeysEnabled = true
        // Keep the journal mode the file has: GRDB's WAL set-up for pools writes to the file on every
        // open. A new catalog is switched to WAL once, below.
        configuration.journalMode = .default
        configuration.prepareDatabase { db in
            // Durable commits: the version must survive a power cut once `put` has said it exists.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // The WAL and its shared-memory index are not kept between commands (see
            // `keepWriteAheadLogFiles`): any open rewrites the index, and a read-only command must
            // leave every file of the store as it was.
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            let migrator = SQLiteCatalog.migrator
            // The unlocked look may meet a catalog another process is creating right now: any doubt
            // sends it to the locked path, which looks again.
            if (try? database.read({ try migrator.hasCompletedMigrations($0) })) != true {
                // Processes creating or upgrading one store at once take turns; the later ones find
                // the work done.
                let lock = try FileLock(path: path + ".migration-lock")
                defer { lock.release() }
                if try !database.read({ try migrator.hasCompletedMigrations($0) }) {
                    try SQLiteCatalog.refuseNewer(database, migrator: migrator, path: path)
                    try database.writeWithoutTransaction { db in
                        if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                        }
                    }
                    let applied = try database.read { try migrator.appliedIdentifiers($0) }
                    try migrator.migrate(database)
                    if SQLiteCatalog.rebuiltTables(after: applied) {
                        try FaultInjection.check(.upgrade, operation: "upgrade", path: path)
                        // The rebuilt tables left the old ones' pages free: give them back once, so an
                        // upgraded catalog is as small as a new one. VACUUM is a transaction of its
                        // own; a kill during it leaves the catalog as the migration left it.
                        try database.writeWithoutTransaction { try $0.execute(sql: "VACUUM") }
                    }
                }
            } else {
                try SQLiteCatalog.refuseNewer(database, migrator: migrator, path: path)
            }
        } catch let error as DatabaseError {
            throw StoreError.catalog("cannot open \(path): \(SQLiteCatalog.explain(error, path: path))")
        }
    }

    /// Reads in one snapshot with temporary tables allowed, which GRDB's read-only access refuses:
    /// a deferred transaction that is always rolled back, so it takes no lock and changes nothing.
    func readWithScratchTables<T>(_ body: (Database) throws -> T) throws -> T {
        try database.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.deferred) {
                result = try body(db)
                return .rollback
            }
            return result!
        }
    }

    /// Runs a database operation, turning GRDB errors into `StoreError.catalog`.
    func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw StoreError.catalog(SQLiteCatalog.explain(error, path: path))
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE project (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    createdAt REAL NOT NULL
                );
                CREATE TABLE artifact (
                    id INTEGER PRIMARY KEY,
                    projectId INTEGER NOT NULL REFERENCES project(id),
                    name TEXT NOT NULL,
                    type TEXT NOT NULL,
                    description TEXT NOT NULL DEFAULT '',
                    createdAt REAL NOT NULL,
                    nextIndex INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (projectId, name)
                );
                CREATE TABLE version (
                    id INTEGER PRIMARY KEY,
                    artifactId INTEGER NOT NULL REFERENCES artifact(id),
                    idx INTEGER,
                    digest TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'committed', 'deleted')),
                    createdAt REAL NOT NULL,
                    size INTEGER NOT NULL,
                    fileCount INTEGER NOT NULL,
                    addedBytes INTEGER NOT NULL,
                    description TEXT NOT NULL DEFAULT '',
                    metadata TEXT NOT NULL DEFAULT '{}',
                    producerRunId TEXT,
                    distributedId TEXT,
                    deletedAt REAL,
                    UNIQUE (artifactId, idx)
                );
                CREATE INDEX version_by_state ON version(artifactId, state, idx);
                CREATE TABLE alias (
                    artifactId INTEGER NOT NULL REFERENCES artifact(id),
                    versionId INTEGER NOT NULL REFERENCES version(id),
                    name TEXT NOT NULL,
                    nameKey TEXT NOT NULL,
                    PRIMARY KEY (artifactId, nameKey)
                );
                CREATE INDEX alias_by_version ON alias(versionId);
                CREATE TABLE pack (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE,
                    size INTEGER NOT NULL
                );
                CREATE TABLE chunk (
                    id INTEGER PRIMARY KEY,
                    digest TEXT NOT NULL UNIQUE,
                    packId INTEGER NOT NULL REFERENCES pack(id),
                    offset INTEGER NOT NULL,
                    storedLength INTEGER NOT NULL,
                    rawLength INTEGER NOT NULL,
                    compression INTEGER NOT NULL
                );
                CREATE INDEX chunk_by_pack ON chunk(packId);
                CREATE TABLE content (
                    id INTEGER PRIMARY KEY,
                    digest TEXT NOT NULL UNIQUE,
                    size INTEGER NOT NULL
                );
                CREATE TABLE content_chunk (
                    contentId INTEGER NOT NULL REFERENCES content(id),
                    seq INTEGER NOT NULL,
                    chunkId INTEGER NOT NULL REFERENCES chunk(id),
                    PRIMARY KEY (contentId, seq)
                ) WITHOUT ROWID;
                CREATE INDEX content_chunk_by_chunk ON content_chunk(chunkId);
                CREATE TABLE file (
                    versionId INTEGER NOT NULL REFERENCES version(id),
                    path TEXT NOT NULL,
                    contentId INTEGER NOT NULL REFERENCES content(id),
                    PRIMARY KEY (versionId, path)
                ) WITHOUT ROWID;
                CREATE INDEX file_by_content ON file(contentId);
                """)
        }
        registerRunsMigration(&migrator)
        registerVerifyMigrations(&migrator)
        registerSearchMigration(&migrator)
        registerReferencesMigration(&migrator)
        registerBinaryDigestsMigration(&migrator)
        registerSearchOrderMigration(&migrator)
        registerFileRowsMigration(&migrator)
        registerCompactionMigration(&migrator)
        return migrator
    }

    /// Refuses a catalog a newer arttui has migrated further than this one knows: its tables may hold
    /// what this code would misread. The store's marker refuses such stores first; this covers a
    /// catalog opened on its own.
    private static func refuseNewer(_ database: DatabaseQueue, migrator: DatabaseMigrator, path: String) throws {
        let unknown = try database.read { db in
            try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted().first
        }
        if let unknown {
            throw StoreError.catalog(
                "cannot open \(path): a newer arttui changed its format (migration \(unknown)); upgrade arttui")
        }
    }
}

extension SQLiteCatalog {
    /// The columns `versionRecord(_:)` reads, joined from version, artifact and project.
    static let versionColumns = """
        v.id, p.name AS project, a.name AS artifactName, a.type, v.idx, v.digest, v.state, v.createdAt,
        v.size, v.fileCount, v.addedBytes, v.description, v.metadata, v.producerRunId, v.damaged,
        (SELECT max(l.idx) FROM version l WHERE l.artifactId = a.id AND l.state = 'committed') AS latestIdx
        FROM version v JOIN artifact a ON a.id = v.artifactId JOIN project p ON p.id = a.projectId
        """

    /// Builds versions from rows selected with `versionColumns`, with their aliases.
    ///
    /// Columns are read by position (in `versionColumns` order): by name, GRDB lower-cases each name
    /// on every access, which dominated listing 100,000 versions.
    func versionRecords(_ db: Database, rows: [Row]) throws -> [ArtifactVersion] {
        guard !rows.isEmpty else { return [] }
        let ids: [Int64] = rows.map { $0[0] }
        var aliases: [Int64: [String]] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let batch = Array(ids[start..<min(start + 500, ids.count)])
            let aliasRows = try Row.fetchCursor(
                db, sql: """
                    SELECT versionId, name FROM alias
                    WHERE versionId IN (\(databaseQuestionMarks(count: batch.count))) ORDER BY nameKey
                    """,
                arguments: StatementArguments(batch))
            while let row = try aliasRows.next() {
                aliases[row[0], default: []].append(row[1])
            }
        }
        let decoder = JSONDecoder()
        return rows.map { row in
            let id: Int64 = row[0]
            let index: Int? = row[4]
            let latest: Int? = row[15]
            let state = VersionState(rawValue: row[6]) ?? .committed
            var names = aliases[id] ?? []
            if state == .committed, let index, index == latest { names.insert(Alias.latest, at: 0) }
            let metadataText: String = row[12]
            let metadata = metadataText == "{}"
                ? [:] : (try? decoder.decode([String: JSONValue].self, from: Data(metadataText.utf8))) ?? [:]
            var version = ArtifactVersion(
                id: id, project: row[1], name: row[2], type: row[3], index: index, digest: CatalogDigest.hex(row, 5),
                state: state,
                createdAt: Date(timeIntervalSince1970: row[7]), size: row[8], fileCount: row[9], addedBytes: row[10],
                description: row[11], metadata: metadata, aliases: names, loggedBy: row[13])
            version.damage = row[14]
            return version
        }
    }

    /// The artifact's id, or `artifactNotFound`.
    func artifactID(_ db: Database, project: String, name: String) throws -> Int64 {
        if let id = try Int64.fetchOne(
            db, sql: """
                SELECT a.id FROM artifact a JOIN project p ON p.id = a.projectId
                WHERE p.name = ? AND a.name = ?
                """, arguments: [project, name])
        {
            return id
        }
        if try Int64.fetchOne(db, sql: "SELECT id FROM project WHERE name = ?", arguments: [project]) == nil {
            throw StoreError.projectNotFound(project: project)
        }
        throw StoreError.artifactNotFound(project: project, name: name)
    }

    /// A `(?, ?, …)` placeholder list of `count` items.
    func databaseQuestionMarks(count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }

    /// Encodes metadata for storage.
    static func metadataText(_ metadata: [String: JSONValue]) -> String {
        JSONValue.object(metadata).jsonText
    }
}
