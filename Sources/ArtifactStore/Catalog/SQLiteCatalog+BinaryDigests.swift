import Foundation
import GRDB

extension SQLiteCatalog {
    /// The migration that turns every content, chunk and version digest from 64 hex characters into
    /// 32 bytes (store format 2).
    static let binaryDigestsMigration = "binary-digests-v1"

    /// Adds `binary-digests-v1`: `chunk`, `content` and `version` rebuilt with BLOB digests.
    ///
    /// SQLite cannot change a column's type, so each table is rebuilt the way its documentation
    /// prescribes: a new table filled from the old one, the old dropped, the new renamed, its indexes
    /// and triggers recreated from their own SQL. Row ids are kept, so `content_chunk`, `file` and every
    /// table naming a version stay as they are. GRDB runs the whole migration as one transaction with
    /// foreign keys checked before the commit: a kill at any moment leaves the old tables or the new.
    ///
    /// Reference checksums (`file_reference.digest`) stay text: they are `sha256:HEX`, `md5:BASE64`,
    /// `etag:VALUE` or a URI, not 32-byte digests.
    static func registerBinaryDigestsMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration(binaryDigestsMigration) { db in
            let toBlob = DatabaseFunction("arttui_digest_blob", argumentCount: 1, pure: true) { values in
                guard let text = String.fromDatabaseValue(values[0]) else { return values[0] }
                return try CatalogDigest.blob(text)
            }
            db.add(function: toBlob)
            defer { db.remove(function: toBlob) }
            let digest32 = "typeof(digest) = 'blob' AND length(digest) = 32"
            try rebuild(db, table: "chunk", definition: """
                id INTEGER PRIMARY KEY,
                digest BLOB NOT NULL UNIQUE CHECK (\(digest32)),
                packId INTEGER NOT NULL REFERENCES pack(id),
                offset INTEGER NOT NULL,
                storedLength INTEGER NOT NULL,
                rawLength INTEGER NOT NULL,
                compression INTEGER NOT NULL
                """, select: "id, arttui_digest_blob(digest), packId, offset, storedLength, rawLength, compression")
            try rebuild(db, table: "content", definition: """
                id INTEGER PRIMARY KEY,
                digest BLOB NOT NULL UNIQUE CHECK (\(digest32)),
                size INTEGER NOT NULL
                """, select: "id, arttui_digest_blob(digest), size")
            // A pending version has no digest until it is finished: NULL, where format 1 kept ''.
            try rebuild(db, table: "version", definition: """
                id INTEGER PRIMARY KEY,
                artifactId INTEGER NOT NULL REFERENCES artifact(id),
                idx INTEGER,
                digest BLOB CHECK (digest IS NULL OR (\(digest32))),
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
                damaged TEXT,
                UNIQUE (artifactId, idx)
                """, select: """
                id, artifactId, idx, CASE digest WHEN '' THEN NULL ELSE arttui_digest_blob(digest) END, state,
                createdAt, size, fileCount, addedBytes, description, metadata, producerRunId, distributedId,
                deletedAt, damaged
                """)
            try FaultInjection.check(.upgrade, operation: "upgrade", path: "catalog.sqlite")
        }
    }

    /// Replaces `table` by one defined as `definition`, filled with `select` over the old rows.
    private static func rebuild(_ db: Database, table: String, definition: String, select: String) throws {
        // Indexes and triggers die with the table: their own SQL recreates them (automatic indexes,
        // with NULL SQL, come back from the new definition's constraints).
        let dependents = try String.fetchAll(db, sql: """
            SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL
            ORDER BY type, name
            """, arguments: [table])
        let replacement = "\(table)_binary_digests"
        try db.execute(sql: "CREATE TABLE \(replacement) (\(definition))")
        try db.execute(sql: "INSERT INTO \(replacement) SELECT \(select) FROM \(table)")
        try db.execute(sql: "DROP TABLE \(table)")
        try db.execute(sql: "ALTER TABLE \(replacement) RENAME TO \(table)")
        for sql in dependents { try db.execute(sql: sql) }
    }
}
