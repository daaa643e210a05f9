import Foundation
import GRDB

/// Reference entries in the catalog: the table, and the one mapping between its rows and `ManifestEntry`.
///
/// A reference entry has no content row (its bytes are not in the store), so it lives beside `file`
/// in its own table rather than in `file` with a content it does not have: chunk sweeps, deletion
/// plans and pack checks never meet it, and a reference-only version costs only these rows.
extension SQLiteCatalog {
    /// Adds `file_reference`: one row per reference entry of a version.
    ///
    /// `digest` is the recorded checksum as `ReferenceChecksum` text (`sha256:HEX`, `md5:BASE64`,
    /// `etag:VALUE`, or the URI itself when unchecked); `objectVersion` the S3 version id, if any.
    static func registerReferencesMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("references-v1") { db in
            try db.execute(sql: """
                CREATE TABLE file_reference (
                    versionId INTEGER NOT NULL REFERENCES version(id),
                    path TEXT NOT NULL,
                    uri TEXT NOT NULL,
                    digest TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    objectVersion TEXT,
                    PRIMARY KEY (versionId, path)
                ) WITHOUT ROWID;
                """)
        }
    }

    /// The columns `referenceEntry(_:)` reads, in order.
    static let referenceColumns = "r.path, r.digest, r.size, r.uri, r.objectVersion"

    /// A manifest entry from a row selected with `referenceColumns`.
    static func referenceEntry(_ row: Row) -> ManifestEntry {
        ManifestEntry(
            path: row[0], digest: row[1], size: row[2], reference: FileReference(uri: row[3], objectVersion: row[4]))
    }

    /// Records a version's reference entries, inside the caller's transaction.
    func insertReferences(_ db: Database, versionID: Int64, entries: [ManifestEntry]) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO file_reference (versionId, path, uri, digest, size, objectVersion) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for entry in entries {
            guard let reference = entry.reference else { continue }
            try insert.execute(arguments: [
                versionID, entry.path, reference.uri, entry.digest, entry.size, reference.objectVersion,
            ])
        }
    }

    /// The reference entries of the versions whose ids `filter` selects (an SQL condition on `r.versionId`),
    /// keyed by version id.
    func referenceEntries(_ db: Database, where filter: String, arguments: StatementArguments = [])
        throws -> [Int64: [ManifestEntry]]
    {
        var entries: [Int64: [ManifestEntry]] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT \(Self.referenceColumns), r.versionId FROM file_reference r WHERE \(filter) ORDER BY r.path",
            arguments: arguments)
        while let row = try rows.next() {
            entries[row[5], default: []].append(Self.referenceEntry(row))
        }
        return entries
    }

    /// Whether a version has reference entries.
    func hasReferences(_ db: Database, versionID: Int64) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM file_reference WHERE versionId = ?)", arguments: [versionID]) ?? false
    }
}
