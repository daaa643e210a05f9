import Foundation
import GRDB

extension SQLiteCatalog {
    /// The migration that drops the index of file rows by content, and the foreign key it served
    /// (store format 3).
    static let fileRowsMigration = "file-rows-v2"

    /// Adds `file-rows-v2`: the `file` table rebuilt without `file_by_content` and without its foreign
    /// key to `content`.
    ///
    /// Every version keeps its whole manifest as rows of `(versionId, path, contentId)`, so that index
    /// held a second copy of every path of every version: as much again as the rows themselves, a
    /// quarter of what a version of 20,000 small files added to the catalog (0.55 of 2.05 MB).
    /// Only a deletion asked "does a surviving version still use this content?", and it now answers that
    /// for all its candidates in one pass over `file` (see `plan(_:versionIDs:)`). The foreign key has
    /// to go with the index: SQLite checks it on every deleted `content` row by a lookup that, without
    /// the index, is a scan of the whole table. `verify` still reports a file row whose content is
    /// missing.
    ///
    /// Rows are copied in key order; GRDB runs the migration as one transaction, so a kill at any
    /// moment leaves the old table or the new.
    static func registerFileRowsMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration(fileRowsMigration) { db in
            try db.execute(sql: """
                CREATE TABLE file_rows_v2 (
                    versionId INTEGER NOT NULL REFERENCES version(id),
                    path TEXT NOT NULL,
                    contentId INTEGER NOT NULL,
                    PRIMARY KEY (versionId, path)
                ) WITHOUT ROWID;
                INSERT INTO file_rows_v2 (versionId, path, contentId)
                    SELECT versionId, path, contentId FROM file ORDER BY versionId, path;
                DROP TABLE file;
                ALTER TABLE file_rows_v2 RENAME TO file;
                """)
            try FaultInjection.check(.upgrade, operation: "upgrade", path: "catalog.sqlite")
        }
    }

    /// Whether opening a catalog that had `applied` migrations rebuilt tables, leaving their old pages
    /// free for a one-time `VACUUM`.
    static func rebuiltTables(after applied: Set<String>) -> Bool {
        applied.contains("v1") && !applied.isSuperset(of: [binaryDigestsMigration, fileRowsMigration])
    }
}
