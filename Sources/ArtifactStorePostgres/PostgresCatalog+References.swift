import ArtifactStore
import Foundation
import PostgresNIO

/// Reference entries in the catalog: the one mapping between `file_reference` rows and `ManifestEntry`,
/// as `SQLiteCatalog+References` keeps it for SQLite.
///
/// A reference entry has no content row (its bytes are not in the store), so it lives beside `file`
/// in its own table rather than in `file` with a content it does not have: chunk sweeps, deletion
/// plans and pack checks never meet it, and a reference-only version costs only these rows.
extension PostgresCatalog {
    /// The columns `referenceEntry(_:)` reads, in order.
    static let referenceColumns = "r.path, r.digest, r.size, r.uri, r.object_version"

    /// A manifest entry from a row selected with `referenceColumns`.
    static func referenceEntry(_ row: PostgresRandomAccessRow) throws -> ManifestEntry {
        ManifestEntry(
            path: try row[0].decode(String.self), digest: try row[1].decode(String.self), size: try row[2].decode(Int64.self),
            reference: FileReference(uri: try row[3].decode(String.self), objectVersion: try row[4].decode(String?.self)))
    }

    /// Records a version's reference entries (those of `entries` with a reference), inside the caller's transaction.
    func insertReferences(_ session: PostgresSession, versionID: Int64, entries: [ManifestEntry]) throws {
        let references = entries.compactMap { entry in entry.reference.map { (entry, $0) } }
        guard !references.isEmpty else { return }
        // Arrays carry no NULLs here: `has_version` says which object versions are real.
        try session.execute(PostgresQuery(unsafeSQL: """
            INSERT INTO file_reference (version_id, path, uri, digest, size, object_version)
            SELECT $1, n.path, n.uri, n.digest, n.size, CASE WHEN n.has_version THEN n.object_version END
            FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::boolean[])
                AS n(path, uri, digest, size, object_version, has_version)
            """, binds: binds(
                versionID, references.map(\.0.path), references.map(\.1.uri), references.map(\.0.digest),
                references.map(\.0.size), references.map { $0.1.objectVersion ?? "" },
                references.map { $0.1.objectVersion != nil })))
    }

    /// The reference entries of the versions `versionIDs`, each version's in path order, keyed by version id.
    func referenceEntries(_ session: PostgresSession, versionIDs: [Int64]) throws -> [Int64: [ManifestEntry]] {
        var entries: [Int64: [ManifestEntry]] = [:]
        for row in try session.rows("""
            SELECT \(unescaped: Self.referenceColumns), r.version_id FROM file_reference r
            WHERE r.version_id = ANY(\(versionIDs)) ORDER BY r.path
            """)
        {
            entries[try row[5].decode(Int64.self), default: []].append(try Self.referenceEntry(row))
        }
        return entries
    }

    /// Whether a version has reference entries.
    func hasReferences(_ session: PostgresSession, versionID: Int64) throws -> Bool {
        try session.row("SELECT EXISTS (SELECT 1 FROM file_reference WHERE version_id = \(versionID))")?[0]
            .decode(Bool.self) ?? false
    }
}
