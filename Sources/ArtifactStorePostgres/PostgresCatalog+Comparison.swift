import ArtifactStore
import PostgresNIO

extension PostgresCatalog: VersionComparison {
    /// Three statements over the two versions' file rows, each walking the (version_id, path) key with
    /// lookups into the other version: only digests are compared, no content is read. Reference
    /// entries, kept in their own table, are compared afterwards.
    public func fileDifferences(base baseID: Int64, target targetID: Int64) throws -> FileDifferences {
        try read { session in
            func onlyIn(_ version: Int64, notIn other: Int64) throws -> [ManifestEntry] {
                try session.rows("""
                    SELECT f.path, encode(c.digest, 'hex'), c.size FROM file f JOIN content c ON c.id = f.content_id
                    WHERE f.version_id = \(version)
                        AND NOT EXISTS (SELECT 1 FROM file o WHERE o.version_id = \(other) AND o.path = f.path)
                    ORDER BY f.path
                    """).map(PostgresCatalog.manifestEntry)
            }
            let added = try onlyIn(targetID, notIn: baseID)
            let removed = try onlyIn(baseID, notIn: targetID)
            let modified = try session.rows("""
                SELECT f.path, encode(oc.digest, 'hex'), oc.size, encode(nc.digest, 'hex'), nc.size
                FROM file f JOIN file o ON o.version_id = \(baseID) AND o.path = f.path AND o.content_id != f.content_id
                JOIN content nc ON nc.id = f.content_id JOIN content oc ON oc.id = o.content_id
                WHERE f.version_id = \(targetID) ORDER BY f.path
                """).map { row in
                let path = try row[0].decode(String.self)
                return FileChange(
                    kind: .modified,
                    base: ManifestEntry(path: path, digest: try row[1].decode(String.self), size: try row[2].decode(Int64.self)),
                    target: ManifestEntry(path: path, digest: try row[3].decode(String.self), size: try row[4].decode(Int64.self)))
            }
            let stored = FileDifferences(added: added, removed: removed, modified: modified)
            let references = try referenceEntries(session, versionIDs: [baseID, targetID])
            return stored.addingReferences(base: references[baseID] ?? [], target: references[targetID] ?? [])
        }
    }
}
