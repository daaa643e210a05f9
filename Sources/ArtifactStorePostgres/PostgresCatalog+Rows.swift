import ArtifactStore
import Foundation
import PostgresNIO

/// The mapping between rows and model types: one place per table, so a new column is added once.
extension PostgresCatalog {
    // MARK: version

    /// The columns `versionRecords` reads, from `versionSource`: the version's own, its artifact's
    /// newest committed index (for `latest`) and its aliases, so a page of versions is one statement.
    static let versionSelect = """
        v.id, p.name, a.name, a.type, v.idx, encode(v.digest, 'hex'), v.state, v.created_at, v.size,
        v.file_count, v.added_bytes, v.description, v.metadata::text, v.producer_run_id, v.damaged,
        (SELECT max(l.idx) FROM version l WHERE l.artifact_id = a.id AND l.state = 'committed'),
        (SELECT array_agg(an.name ORDER BY an.name_key) FROM alias an WHERE an.version_id = v.id)
        """

    /// The tables `versionSelect` reads from.
    static let versionSource = "FROM version v JOIN artifact a ON a.id = v.artifact_id JOIN project p ON p.id = a.project_id"

    /// The columns `versionRecords` reads with their tables: `SELECT \(versionColumns) WHERE …`.
    static let versionColumns = "\(versionSelect) \(versionSource)"

    /// Builds versions from rows selected with `versionColumns` (`latest` first among the aliases).
    func versionRecords(_ session: PostgresSession, rows: [PostgresRandomAccessRow]) throws -> [ArtifactVersion] {
        try Self.versionRecords(rows: rows)
    }

    /// Builds versions from rows selected with `versionColumns` (`latest` first among the aliases).
    static func versionRecords(rows: [PostgresRandomAccessRow]) throws -> [ArtifactVersion] {
        try rows.map { row in
            let index = try row[4].decode(Int?.self)
            let latest = try row[15].decode(Int?.self)
            let state = VersionState(rawValue: try row[6].decode(String.self)) ?? .committed
            var names = try row[16].decode([String]?.self) ?? []
            if state == .committed, let index, index == latest { names.insert(Alias.latest, at: 0) }
            var version = ArtifactVersion(
                id: try row[0].decode(Int64.self), project: try row[1].decode(String.self),
                name: try row[2].decode(String.self),
                type: try row[3].decode(String.self), index: index, digest: try row[5].decode(String?.self) ?? "",
                state: state, createdAt: Date(timeIntervalSince1970: try row[7].decode(Double.self)),
                size: try row[8].decode(Int64.self), fileCount: try row[9].decode(Int.self),
                addedBytes: try row[10].decode(Int64.self), description: try row[11].decode(String.self),
                metadata: PostgresCatalog.metadata(try row[12].decode(String.self)), aliases: names,
                loggedBy: try row[13].decode(String?.self))
            version.damage = try row[14].decode(String?.self)
            return version
        }
    }

    /// A version by id, in any state, or `versionNotFound`.
    func versionRecord(_ session: PostgresSession, id: Int64) throws -> ArtifactVersion {
        let rows = try session.rows(PostgresQuery(unsafeSQL: "SELECT \(Self.versionColumns) WHERE v.id = $1", binds: binds(id)))
        guard !rows.isEmpty else { throw StoreError.versionNotFound(artifact: "#\(id)", reference: "id \(id)") }
        return try versionRecords(session, rows: rows)[0]
    }

    /// Versions selected by `versionColumns` followed by `tail` (WHERE/ORDER BY with `$1…` placeholders).
    func versionRecords(_ session: PostgresSession, where tail: String, _ values: PostgresBindings) throws
        -> [ArtifactVersion]
    {
        try versionRecords(
            session, rows: session.rows(PostgresQuery(unsafeSQL: "SELECT \(Self.versionColumns) \(tail)", binds: values)))
    }

    // MARK: file

    /// A file from `f.path, encode(c.digest, 'hex'), c.size` (file joined with its content).
    static func manifestEntry(_ row: PostgresRandomAccessRow) throws -> ManifestEntry {
        ManifestEntry(
            path: try row[0].decode(String.self), digest: try row[1].decode(String.self), size: try row[2].decode(Int64.self))
    }

    // MARK: chunk

    /// The columns `storedChunk` reads: from `chunk ch JOIN pack p`.
    static let chunkColumns = "encode(ch.digest, 'hex'), p.key, ch.pack_offset, ch.stored_length, ch.raw_length, ch.compression"

    /// A chunk from `chunkColumns` starting at column `first`.
    static func storedChunk(_ row: PostgresRandomAccessRow, first: Int = 0) throws -> StoredChunk {
        StoredChunk(
            digest: try row[first].decode(String.self),
            location: ChunkLocation(
                packKey: try row[first + 1].decode(String.self), offset: try row[first + 2].decode(Int64.self),
                storedLength: try row[first + 3].decode(Int64.self), rawLength: try row[first + 4].decode(Int.self),
                compression: ChunkCompression(rawValue: Int(try row[first + 5].decode(Int16.self))) ?? .none))
    }

    // MARK: run

    /// The columns `runRecord` reads, from run and project.
    static let runColumns = """
        r.id, p.name, r.name, r.group_name, r.job_type, r.sweep, r.config, r.summary, r.state,
        r.started_at, r.finished_at FROM run r JOIN project p ON p.id = r.project_id
        """

    /// A run from a row selected with `runColumns`.
    static func runRecord(_ row: PostgresRandomAccessRow) throws -> RunRecord {
        RunRecord(
            id: try row[0].decode(String.self), project: try row[1].decode(String.self),
            name: try row[2].decode(String.self), group: try row[3].decode(String?.self),
            jobType: try row[4].decode(String?.self), sweep: try row[5].decode(String?.self),
            config: metadata(try row[6].decode(String.self)), summary: metadata(try row[7].decode(String.self)),
            state: RunState(rawValue: try row[8].decode(String.self)) ?? .crashed,
            startedAt: Date(timeIntervalSince1970: try row[9].decode(Double.self)),
            finishedAt: try row[10].decode(Double?.self).map(Date.init(timeIntervalSince1970:)))
    }

    /// A run by id, or `runNotFound`.
    func runRecord(_ session: PostgresSession, id: String) throws -> RunRecord {
        guard let row = try session.row(PostgresQuery(unsafeSQL: "SELECT \(Self.runColumns) WHERE r.id = $1", binds: binds(id)))
        else { throw StoreError.runNotFound(id: id) }
        return try Self.runRecord(row)
    }

    // MARK: artifact

    /// The artifact's id, or `projectNotFound` / `artifactNotFound`.
    func artifactID(_ session: PostgresSession, project: String, name: String, lock: Bool = false) throws -> Int64 {
        let sql = """
            SELECT a.id FROM artifact a JOIN project p ON p.id = a.project_id WHERE p.name = $1 AND a.name = $2
            \(lock ? "FOR UPDATE OF a" : "")
            """
        if let row = try session.row(PostgresQuery(unsafeSQL: sql, binds: binds(project, name))) {
            return try row[0].decode(Int64.self)
        }
        if try session.row(Self.projectIDQuery(project)) == nil {
            throw StoreError.projectNotFound(project: project)
        }
        throw StoreError.artifactNotFound(project: project, name: name)
    }

    // MARK: values

    /// Metadata, config or summary from its stored JSON text.
    static func metadata(_ text: String) -> [String: JSONValue] {
        text == "{}" ? [:] : (try? JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8))) ?? [:]
    }

    /// Metadata as stored: the same compact, sorted JSON text as the embedded catalog.
    static func metadataText(_ metadata: [String: JSONValue]) -> String {
        JSONValue.object(metadata).jsonText
    }

    /// Bindings for a statement written with `$1…` placeholders.
    func binds(_ values: (any PostgresDynamicTypeEncodable)?...) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            if let value { bindings.append(value) } else { bindings.appendNull() }
        }
        return bindings
    }
}
