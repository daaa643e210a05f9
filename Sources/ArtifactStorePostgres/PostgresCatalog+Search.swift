import ArtifactStore
import Foundation
import PostgresNIO

extension PostgresCatalogSchema {
    /// Metadata becomes `jsonb`, and `version_key` holds every metadata value of every version flattened
    /// to one row per key path (array elements keyed by their array's path; values below an array get a
    /// path with a NULL in it, which no query names), kept by a trigger so no write path has to know of
    /// it. The embedded catalog keeps the same table (`SQLiteCatalog+Search`), so both answer `find`
    /// from an index range rather than by reading every version's metadata.
    static let searchMigration = Migration(version: 3, name: "search-v1", statements: [
        "ALTER TABLE version ALTER COLUMN metadata DROP DEFAULT",
        "ALTER TABLE version ALTER COLUMN metadata TYPE jsonb USING metadata::jsonb",
        "ALTER TABLE version ALTER COLUMN metadata SET DEFAULT '{}'::jsonb",
        """
        CREATE TABLE version_key (
            version_id bigint NOT NULL,
            key text[] NOT NULL,
            element boolean NOT NULL,
            type text NOT NULL,
            num double precision,
            txt text COLLATE "C"
        )
        """,
        // type: 'object', 'array', 'number', 'text', 'true', 'false' or 'null'.
        """
        CREATE FUNCTION arttui_metadata_keys(doc jsonb)
        RETURNS TABLE (key text[], element boolean, type text, num double precision, txt text)
        LANGUAGE sql IMMUTABLE AS $$
            WITH RECURSIVE node(key, element, value) AS (
                SELECT ARRAY[e.key], false, e.value
                FROM jsonb_each(CASE WHEN jsonb_typeof(doc) = 'object' THEN doc ELSE '{}'::jsonb END) e
                UNION ALL
                SELECT child.key, child.element, child.value FROM node n CROSS JOIN LATERAL (
                    SELECT CASE WHEN n.element THEN n.key || NULL::text ELSE n.key END || e.key, false, e.value
                    FROM jsonb_each(CASE WHEN jsonb_typeof(n.value) = 'object' THEN n.value ELSE '{}'::jsonb END) e
                    UNION ALL
                    SELECT CASE WHEN n.element THEN n.key || NULL::text ELSE n.key END, true, e.value
                    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(n.value) = 'array' THEN n.value ELSE '[]'::jsonb END) e
                ) child(key, element, value)
            )
            SELECT key, element,
                CASE jsonb_typeof(value) WHEN 'boolean' THEN value #>> '{}' WHEN 'string' THEN 'text'
                    ELSE jsonb_typeof(value) END,
                CASE WHEN jsonb_typeof(value) = 'number' THEN (value #>> '{}')::double precision END,
                CASE WHEN jsonb_typeof(value) = 'string' THEN value #>> '{}' END
            FROM node
        $$
        """,
        """
        CREATE FUNCTION arttui_version_key_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                DELETE FROM version_key WHERE version_id = OLD.id;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO version_key (version_id, key, element, type, num, txt)
                SELECT NEW.id, k.key, k.element, k.type, k.num, k.txt FROM arttui_metadata_keys(NEW.metadata) k;
            END IF;
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER version_key_sync AFTER INSERT OR DELETE OR UPDATE OF metadata ON version
        FOR EACH ROW EXECUTE FUNCTION arttui_version_key_sync()
        """,
        """
        INSERT INTO version_key (version_id, key, element, type, num, txt)
        SELECT v.id, k.key, k.element, k.type, k.num, k.txt FROM version v, arttui_metadata_keys(v.metadata) k
        """,
        "CREATE INDEX version_key_by_number ON version_key(key, element, num)",
        "CREATE INDEX version_key_by_text ON version_key(key, element, txt)",
        "CREATE INDEX version_key_by_version ON version_key(version_id)",
        // `find` without conditions walks versions newest first.
        "CREATE INDEX version_by_creation ON version(created_at)",
    ])
}

extension PostgresCatalog: VersionSearch {
    public func findVersions(_ query: VersionQuery) throws -> [ArtifactVersion] {
        try read { session in
            if let project = query.project,
               try session.row("SELECT id FROM project WHERE name = \(project)") == nil
            {
                throw StoreError.projectNotFound(project: project)
            }
            var compiler = PostgresQueryCompiler()
            var filters = ["v.state = 'committed'"]
            for condition in query.conditions { filters.append(try compiler.compile(condition)) }
            if let project = query.project { filters.append("p.name = \(compiler.bind(project))") }
            if let projects = query.projects { filters.append("p.name = ANY(\(compiler.bind(projects.sorted())))") }
            if let type = query.type { filters.append("a.type = \(compiler.bind(type))") }
            if let alias = query.alias {
                if Alias.key(alias) == Alias.key(Alias.latest) {
                    filters.append("""
                        v.idx = (SELECT max(l.idx) FROM version l WHERE l.artifact_id = v.artifact_id
                            AND l.state = 'committed')
                        """)
                } else {
                    filters.append("v.id IN (SELECT version_id FROM alias WHERE name_key = \(compiler.bind(Alias.key(alias))))")
                }
            }
            if let after = query.createdAfter {
                filters.append("v.created_at > \(compiler.bind(after.timeIntervalSince1970))")
            }
            if let before = query.createdBefore {
                filters.append("v.created_at < \(compiler.bind(before.timeIntervalSince1970))")
            }
            if let run = query.loggedBy { filters.append("v.producer_run_id = \(compiler.bind(run))") }
            let direction = query.sort.descending ? "DESC" : "ASC"
            var order: String
            switch query.sort.field {
            case .name: order = "p.name \(direction), a.name \(direction), v.idx \(direction)"
            case .field(.size): order = "v.size \(direction)"
            case .field(.files): order = "v.file_count \(direction)"
            case .field(.created): order = "v.created_at \(direction)"
            case .field(.metadata(let keys)):
                // As SQLite orders json_extract's values: null, then numbers (booleans as 0 and 1), then
                // strings (and arrays and objects as their text); versions without the key last either way.
                let value = "(v.metadata #> \(compiler.bind(keys)))"
                order = """
                    \(value) IS NULL,
                    CASE jsonb_typeof(\(value)) WHEN 'null' THEN 0 WHEN 'number' THEN 1 WHEN 'boolean' THEN 1 ELSE 2 END \(direction),
                    CASE jsonb_typeof(\(value)) WHEN 'number' THEN (\(value) #>> '{}')::double precision
                        WHEN 'boolean' THEN CASE WHEN \(value) = 'true'::jsonb THEN 1 ELSE 0 END END \(direction),
                    (\(value) #>> '{}') COLLATE "C" \(direction)
                    """
            }
            order += ", v.created_at DESC, v.id DESC"
            var sql = "SELECT \(Self.versionColumns) WHERE \(filters.joined(separator: " AND ")) ORDER BY \(order)"
            if let limit = query.limit { sql += " LIMIT \(compiler.bind(limit))" }
            return try versionRecords(session, rows: session.rows(PostgresQuery(unsafeSQL: sql, binds: compiler.bindings)))
        }
    }
}
