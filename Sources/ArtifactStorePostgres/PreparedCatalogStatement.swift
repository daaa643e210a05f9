import PostgresNIO

/// The text of a catalog statement that is prepared once per connection and afterwards run by name.
///
/// PostgreSQL parses and plans an unnamed statement every time it runs; for the reads a server answers
/// most (a version, a page of versions, the artifacts and projects) planning took about four times as
/// long as running them (pg_stat_statements under 16 clients). A prepared statement is planned for its
/// first runs and then reuses a generic plan.
protocol PreparedStatementText {
    /// The statement's name on the connection: short and unique (PostgreSQL cuts names at 63 bytes).
    static var name: String { get }
    /// The SQL, with `$1…` placeholders.
    static var sql: String { get }
    /// The placeholders' types, in order, as the bindings encode them.
    static var bindingDataTypes: [PostgresDataType] { get }
}

/// A run of the statement `Text` with its bindings, answering raw rows for the catalog's row mapping.
struct PreparedCatalogStatement<Text: PreparedStatementText>: PostgresPreparedStatement {
    typealias Row = PostgresRow

    static var name: String { Text.name }
    static var sql: String { Text.sql }
    static var bindingDataTypes: [PostgresDataType] { Text.bindingDataTypes }

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

/// The statements the non-blocking reads prepare; the blocking ones run the same SQL unnamed.
enum CatalogReadStatement {
    /// Every project with its counts: no placeholders.
    enum Projects: PreparedStatementText {
        static let name = "arttui_projects"
        static let bindingDataTypes: [PostgresDataType] = []
        static let sql = """
            SELECT p.name, p.created_at,
                (SELECT count(*) FROM artifact a WHERE a.project_id = p.id),
                (SELECT count(*) FROM version v JOIN artifact a ON a.id = v.artifact_id
                    WHERE a.project_id = p.id AND v.state = 'committed'),
                (SELECT coalesce(sum(v.size), 0)::bigint FROM version v JOIN artifact a ON a.id = v.artifact_id
                    WHERE a.project_id = p.id AND v.state = 'committed')
            FROM project p ORDER BY p.name
            """
    }

    /// A project's artifacts with their counts and newest version: `$1` the project.
    enum Artifacts: PreparedStatementText {
        static let name = "arttui_artifacts"
        static let bindingDataTypes: [PostgresDataType] = [.text]
        static let sql = """
            SELECT a.name, a.type, a.description, a.created_at,
                (SELECT count(*) FROM version v WHERE v.artifact_id = a.id AND v.state = 'committed'),
                (SELECT coalesce(sum(v.added_bytes), 0)::bigint FROM version v
                    WHERE v.artifact_id = a.id AND v.state = 'committed'),
                l.idx, l.size, l.created_at
            FROM artifact a
            LEFT JOIN version l ON l.id = (SELECT id FROM version WHERE artifact_id = a.id
                AND state = 'committed' ORDER BY idx DESC LIMIT 1)
            WHERE a.project_id = (SELECT id FROM project WHERE name = $1) ORDER BY a.type, a.name
            """
    }

    /// A page of an artifact's versions and their total: `$1` project, `$2` artifact, `$3` states,
    /// `$4` limit, `$5` offset; newest first.
    enum VersionPage: PreparedStatementText {
        static let name = "arttui_version_page"
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .textArray, .int8, .int8]
        static let sql = PostgresCatalog.versionPageSQL(order: PostgresCatalog.versionOrder([.committed]))
    }

    /// As `VersionPage`, pending versions (which have no number yet) first.
    enum VersionPageWithPending: PreparedStatementText {
        static let name = "arttui_version_page_pending"
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .textArray, .int8, .int8]
        static let sql = PostgresCatalog.versionPageSQL(order: PostgresCatalog.versionOrder([.committed, .pending]))
    }

    /// The newest committed version: `$1` project, `$2` artifact.
    enum LatestVersion: PreparedStatementText {
        static let name = "arttui_version_latest"
        static let bindingDataTypes: [PostgresDataType] = [.text, .text]
        static let sql = PostgresCatalog.versionSQL(.latest)
    }

    /// The committed version numbered `$3`: `$1` project, `$2` artifact.
    enum NumberedVersion: PreparedStatementText {
        static let name = "arttui_version_index"
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .int8]
        static let sql = PostgresCatalog.versionSQL(.index(0))
    }

    /// The committed version carrying the alias whose key is `$3`: `$1` project, `$2` artifact.
    enum AliasedVersion: PreparedStatementText {
        static let name = "arttui_version_alias"
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text]
        static let sql = PostgresCatalog.versionSQL(.alias(""))
    }
}
