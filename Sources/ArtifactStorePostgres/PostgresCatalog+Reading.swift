import ArtifactStore
import Foundation
import PostgresNIO

extension PostgresCatalog {
    public func projects() throws -> [ProjectSummary] {
        try readStatement { session in
            try session.rows(PostgresQuery(unsafeSQL: CatalogReadStatement.Projects.sql)).map(Self.projectSummary)
        }
    }

    /// A project from a row of `CatalogReadStatement.Projects`.
    static func projectSummary(_ row: PostgresRandomAccessRow) throws -> ProjectSummary {
        ProjectSummary(
            name: try row[0].decode(String.self), artifactCount: try row[2].decode(Int.self),
            versionCount: try row[3].decode(Int.self), size: try row[4].decode(Int64.self),
            createdAt: Date(timeIntervalSince1970: try row[1].decode(Double.self)))
    }

    public func artifactType(project: String, name: String) throws -> String? {
        try readStatement { session in
            try session.row("""
                SELECT a.type FROM artifact a JOIN project p ON p.id = a.project_id WHERE p.name = \(project) AND a.name = \(name)
                """)?[0].decode(String.self)
        }
    }

    public func artifacts(project: String) throws -> [ArtifactSummary] {
        try readStatement { session in
            let summaries = try session.rows(PostgresQuery(unsafeSQL: CatalogReadStatement.Artifacts.sql, binds: binds(project)))
                .map { try Self.artifactSummary($0, project: project) }
            if summaries.isEmpty, try session.row(Self.projectIDQuery(project)) == nil {
                throw StoreError.projectNotFound(project: project)
            }
            return summaries
        }
    }

    /// An artifact of `project` from a row of `CatalogReadStatement.Artifacts`.
    static func artifactSummary(_ row: PostgresRandomAccessRow, project: String) throws -> ArtifactSummary {
        ArtifactSummary(
            project: project, name: try row[0].decode(String.self), type: try row[1].decode(String.self),
            description: try row[2].decode(String.self), versionCount: try row[4].decode(Int.self),
            latestSize: try row[7].decode(Int64?.self) ?? 0, storedBytes: try row[5].decode(Int64.self),
            latestIndex: try row[6].decode(Int?.self),
            updatedAt: Date(timeIntervalSince1970: try row[8].decode(Double?.self) ?? row[3].decode(Double.self)))
    }

    /// The statement finding a project's id by name.
    static func projectIDQuery(_ project: String) -> PostgresQuery {
        "SELECT id FROM project WHERE name = \(project)"
    }

    /// The statement's tail selecting an artifact's versions in `$3` states, by project `$1` and name `$2`.
    static let artifactVersionsFilter = "WHERE p.name = $1 AND a.name = $2 AND v.state = ANY($3)"

    /// Newest first; pending versions have no number yet: they sort first, newest first by creation.
    static func versionOrder(_ states: Set<VersionState>) -> String {
        states.contains(.pending) ? "v.idx IS NOT NULL, v.idx DESC, v.id DESC" : "v.idx DESC"
    }

    public func versions(project: String, name: String, states: Set<VersionState>, offset: Int, limit: Int) throws
        -> [ArtifactVersion]
    {
        try versionPage(project: project, name: name, states: states, offset: offset, limit: limit).versions
    }

    /// A page and the total in one statement: the page's ids and the count are chosen first, so the
    /// per-version columns (aliases, `latest`) are read for the page's rows only.
    public func versionPage(project: String, name: String, states: Set<VersionState>, offset: Int, limit: Int) throws
        -> (versions: [ArtifactVersion], total: Int)
    {
        try readStatement { session in
            let rows = try session.rows(PostgresQuery(
                unsafeSQL: Self.versionPageSQL(order: Self.versionOrder(states)),
                binds: binds(project, name, states.map(\.rawValue), limit, offset)))
            if let first = rows.first {
                return (try Self.versionRecords(rows: rows), try first[17].decode(Int.self))
            }
            // Nothing on this page: the artifact may not exist, or the page lies past the end.
            let artifact = try artifactID(session, project: project, name: name)
            return ([], try countVersions(session, artifact: artifact, states: states))
        }
    }

    /// The statement of `versionPage` for versions sorted by `order`: `$1` project, `$2` artifact,
    /// `$3` states, `$4` limit, `$5` offset; the total is the last column.
    static func versionPageSQL(order: String) -> String {
        """
        WITH page AS (
            SELECT v.id, count(*) OVER () AS total \(versionSource) \(artifactVersionsFilter)
            ORDER BY \(order) LIMIT $4 OFFSET $5)
        SELECT \(versionSelect), page.total FROM page JOIN version v ON v.id = page.id
        JOIN artifact a ON a.id = v.artifact_id JOIN project p ON p.id = a.project_id ORDER BY \(order)
        """
    }

    public func versionCount(project: String, name: String, states: Set<VersionState>) throws -> Int {
        try readStatement { session in
            let artifact = try artifactID(session, project: project, name: name)
            return try countVersions(session, artifact: artifact, states: states)
        }
    }

    func countVersions(_ session: PostgresSession, artifact: Int64, states: Set<VersionState>) throws -> Int {
        let stateNames = states.map(\.rawValue)
        return try session.row(
            "SELECT count(*) FROM version WHERE artifact_id = \(artifact) AND state = ANY(\(stateNames))")?[0]
            .decode(Int.self) ?? 0
    }

    public func versionPosition(project: String, name: String, index: Int) throws -> Int? {
        try read { session in
            let artifact = try artifactID(session, project: project, name: name)
            guard try session.row("""
                SELECT 1 FROM version WHERE artifact_id = \(artifact) AND state = 'committed' AND idx = \(index)
                """) != nil else { return nil }
            return try session.row("""
                SELECT count(*) FROM version WHERE artifact_id = \(artifact) AND state = 'committed' AND idx > \(index)
                """)?[0].decode(Int.self)
        }
    }

    public func version(project: String, name: String, reference: ArtifactAddress.Reference) throws
        -> ArtifactVersion
    {
        try readStatement { session in
            let found = try Self.versionRecords(rows: session.rows(PostgresQuery(
                unsafeSQL: Self.versionSQL(reference), binds: versionBinds(project, name, reference))))
            guard let version = found.first else {
                // Name what is missing: the project, the artifact, or only the version.
                _ = try artifactID(session, project: project, name: name)
                throw StoreError.versionNotFound(artifact: "\(project)/\(name)", reference: "\(reference)")
            }
            return version
        }
    }

    /// The statement finding the committed version a reference of its kind names: `$1` project,
    /// `$2` artifact, `$3` the number or the alias's key (see `versionBinds`).
    static func versionSQL(_ reference: ArtifactAddress.Reference) -> String {
        let named = "p.name = $1 AND a.name = $2 AND v.state = 'committed'"
        switch reference {
        case .latest:
            return "SELECT \(versionColumns) WHERE \(named) ORDER BY v.idx DESC LIMIT 1"
        case .index:
            return "SELECT \(versionColumns) WHERE \(named) AND v.idx = $3"
        case .alias:
            return """
                SELECT \(versionColumns) JOIN alias al ON al.version_id = v.id AND al.artifact_id = a.id
                WHERE \(named) AND al.name_key = $3
                """
        }
    }

    /// The bindings of `versionSQL(reference)`.
    func versionBinds(_ project: String, _ name: String, _ reference: ArtifactAddress.Reference) -> PostgresBindings {
        switch reference {
        case .latest: return binds(project, name)
        case .index(let index): return binds(project, name, index)
        case .alias(let alias): return binds(project, name, Alias.key(alias))
        }
    }

    public func version(id: Int64) throws -> ArtifactVersion {
        try readStatement { session in try versionRecord(session, id: id) }
    }

    public func manifest(versionID: Int64, after: String?, offset: Int, limit: Int) throws -> [ManifestEntry] {
        try read { session in
            // Most versions have no references: they keep the plain query, read in key order.
            guard try hasReferences(session, versionID: versionID) else {
                return try session.rows("""
                    SELECT f.path, encode(c.digest, 'hex'), c.size FROM file f JOIN content c ON c.id = f.content_id
                    WHERE f.version_id = \(versionID) AND (\(after)::text IS NULL OR f.path > \(after))
                    ORDER BY f.path LIMIT \(limit) OFFSET \(offset)
                    """).map(PostgresCatalog.manifestEntry)
            }
            return try session.rows("""
                SELECT f.path, encode(c.digest, 'hex'), c.size, NULL::text, NULL::text
                FROM file f JOIN content c ON c.id = f.content_id
                WHERE f.version_id = \(versionID) AND (\(after)::text IS NULL OR f.path > \(after))
                UNION ALL
                SELECT \(unescaped: PostgresCatalog.referenceColumns) FROM file_reference r
                WHERE r.version_id = \(versionID) AND (\(after)::text IS NULL OR r.path > \(after))
                ORDER BY 1 LIMIT \(limit) OFFSET \(offset)
                """).map { row in
                try row[3].decode(String?.self) == nil
                    ? try PostgresCatalog.manifestEntry(row) : try PostgresCatalog.referenceEntry(row)
            }
        }
    }

    public func chunkLocations(contentDigest: String) throws -> [StoredChunk] {
        try read { session in
            try session.rows(PostgresQuery(unsafeSQL: """
                SELECT \(Self.chunkColumns)
                FROM content c JOIN content_chunk cc ON cc.content_id = c.id
                JOIN chunk ch ON ch.id = cc.chunk_id JOIN pack p ON p.id = ch.pack_id
                WHERE c.digest = decode($1, 'hex') ORDER BY cc.seq
                """, binds: binds(contentDigest))).map { try Self.storedChunk($0) }
        }
    }

    public func chunkLocations(versionID: Int64) throws -> [String: [StoredChunk]] {
        try readStatement { session in
            var locations: [String: [StoredChunk]] = [:]
            for row in try session.rows(PostgresQuery(unsafeSQL: """
                SELECT encode(c.digest, 'hex'), \(Self.chunkColumns)
                FROM (SELECT DISTINCT content_id FROM file WHERE version_id = $1) f
                JOIN content c ON c.id = f.content_id
                JOIN content_chunk cc ON cc.content_id = f.content_id
                JOIN chunk ch ON ch.id = cc.chunk_id JOIN pack p ON p.id = ch.pack_id
                ORDER BY cc.content_id, cc.seq
                """, binds: binds(versionID)))
            {
                locations[try row[0].decode(String.self), default: []].append(try Self.storedChunk(row, first: 1))
            }
            return locations
        }
    }

    public func chunkLocations(contentDigests: [String]) throws -> [String: [StoredChunk]] {
        guard !contentDigests.isEmpty else { return [:] }
        return try readStatement { session in
            var locations: [String: [StoredChunk]] = [:]
            for row in try session.rows(PostgresQuery(unsafeSQL: """
                SELECT encode(c.digest, 'hex'), \(Self.chunkColumns)
                FROM content c JOIN content_chunk cc ON cc.content_id = c.id
                JOIN chunk ch ON ch.id = cc.chunk_id JOIN pack p ON p.id = ch.pack_id
                WHERE c.digest IN (SELECT decode(d, 'hex') FROM unnest($1::text[]) AS d)
                ORDER BY cc.content_id, cc.seq
                """, binds: binds(Array(Set(contentDigests)))))
            {
                locations[try row[0].decode(String.self), default: []].append(try Self.storedChunk(row, first: 1))
            }
            return locations
        }
    }

    public func chunkLocations(versionID: Int64, chunkDigests: [String]) throws -> [String: StoredChunk] {
        try readStatement { session in
            var found: [String: StoredChunk] = [:]
            // Each asked chunk by its digest, kept if one of the version's contents is made of it.
            for row in try session.rows(PostgresQuery(unsafeSQL: """
                SELECT \(Self.chunkColumns) FROM chunk ch JOIN pack p ON p.id = ch.pack_id
                WHERE ch.digest IN (SELECT decode(d, 'hex') FROM unnest($2::text[]) AS d)
                AND EXISTS (
                    SELECT 1 FROM content_chunk cc JOIN file f ON f.content_id = cc.content_id
                    WHERE cc.chunk_id = ch.id AND f.version_id = $1)
                """, binds: binds(versionID, chunkDigests)))
            {
                let chunk = try Self.storedChunk(row)
                found[chunk.digest] = chunk
            }
            return found
        }
    }

    public func chunkDigestPrefixes() throws -> Set<UInt64> {
        try read { session in
            // The first 8 bytes of the digest, as the big-endian number the hex prefix reads as.
            var prefixes = Set<UInt64>()
            for row in try session.rows("SELECT ('x' || encode(substring(digest FROM 1 FOR 8), 'hex'))::bit(64)::bigint FROM chunk") {
                prefixes.insert(UInt64(bitPattern: try row[0].decode(Int64.self)))
            }
            return prefixes
        }
    }

    public func packs() throws -> [ObjectInfo] {
        try read { session in
            try session.rows("SELECT key, size FROM pack ORDER BY key").map {
                ObjectInfo(key: try $0[0].decode(String.self), size: try $0[1].decode(Int64.self))
            }
        }
    }

    public func liveChunks(packKey: String) throws -> [StoredChunk] {
        try read { session in
            try session.rows(PostgresQuery(unsafeSQL: """
                SELECT \(Self.chunkColumns) FROM chunk ch JOIN pack p ON p.id = ch.pack_id
                WHERE p.key = $1 ORDER BY ch.pack_offset
                """, binds: binds(packKey))).map { try Self.storedChunk($0) }
        }
    }
}
