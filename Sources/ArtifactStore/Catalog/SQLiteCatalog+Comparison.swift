import GRDB

extension SQLiteCatalog: VersionComparison {
    /// Three passes over the target's and base's file rows, each a walk of the (versionId, path) key
    /// with lookups into the other version: no content is read, only digests compared.
    public func fileDifferences(base baseID: Int64, target targetID: Int64) throws -> FileDifferences {
        try guarded {
            try database.read { db in
                func onlyIn(_ version: Int64, notIn other: Int64) throws -> [ManifestEntry] {
                    let rows = try Row.fetchCursor(db, sql: """
                        SELECT f.path, c.digest, c.size FROM file f JOIN content c ON c.id = f.contentId
                        WHERE f.versionId = ?
                            AND NOT EXISTS (SELECT 1 FROM file o WHERE o.versionId = ? AND o.path = f.path)
                        ORDER BY f.path
                        """, arguments: [version, other])
                    var entries: [ManifestEntry] = []
                    while let row = try rows.next() { entries.append(ManifestEntry(path: row[0], digest: CatalogDigest.hex(row, 1), size: row[2])) }
                    return entries
                }
                let added = try onlyIn(targetID, notIn: baseID)
                let removed = try onlyIn(baseID, notIn: targetID)
                var modified: [FileChange] = []
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT f.path, oc.digest, oc.size, nc.digest, nc.size
                    FROM file f JOIN file o ON o.versionId = ? AND o.path = f.path AND o.contentId != f.contentId
                    JOIN content nc ON nc.id = f.contentId JOIN content oc ON oc.id = o.contentId
                    WHERE f.versionId = ? ORDER BY f.path
                    """, arguments: [baseID, targetID])
                while let row = try rows.next() {
                    let path: String = row[0]
                    modified.append(FileChange(
                        kind: .modified, base: ManifestEntry(path: path, digest: CatalogDigest.hex(row, 1), size: row[2]),
                        target: ManifestEntry(path: path, digest: CatalogDigest.hex(row, 3), size: row[4])))
                }
                return FileDifferences(added: added, removed: removed, modified: modified)
            }
        }
    }
}
