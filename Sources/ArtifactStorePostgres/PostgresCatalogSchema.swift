import ArtifactStore
import Foundation
import PostgresNIO

/// The catalog's tables and their versioned migrations.
///
/// Applied migrations are listed in `arttui_catalog_migrations` (other components keep their own
/// tables in the same database). Processes starting together take turns on a session advisory lock,
/// and each migration commits with its row, so a crash leaves either all of it or none.
enum PostgresCatalogSchema {
    /// A schema change, applied once.
    struct Migration {
        var version: Int
        var name: String
        /// The statements, run in order in one transaction.
        var statements: [String]

        /// A migration of statements separated by `;` (none may contain one itself).
        init(version: Int, name: String, sql: String) {
            self.init(
                version: version, name: name,
                statements: sql.split(separator: ";").map(String.init).filter { !$0.allSatisfy(\.isWhitespace) })
        }

        /// A migration of statements given one by one (function bodies hold `;` of their own).
        init(version: Int, name: String, statements: [String]) {
            self.version = version
            self.name = name
            self.statements = statements
        }
    }

    /// Advisory lock key held while migrating ("arttui" in ASCII, then 1).
    static let migrationLock: Int64 = 0x6172_7474_7569_0001

    /// The migrations, oldest first; append new ones, never edit applied ones.
    static let migrations: [Migration] = [
        Migration(version: 1, name: "catalog-v1", sql: """
            CREATE TABLE project (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name text COLLATE "C" NOT NULL UNIQUE,
                created_at double precision NOT NULL
            );
            CREATE TABLE artifact (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES project(id),
                name text COLLATE "C" NOT NULL,
                type text COLLATE "C" NOT NULL,
                description text NOT NULL DEFAULT '',
                created_at double precision NOT NULL,
                next_index integer NOT NULL DEFAULT 0,
                UNIQUE (project_id, name)
            );
            CREATE TABLE version (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                artifact_id bigint NOT NULL REFERENCES artifact(id),
                idx integer,
                digest bytea CHECK (octet_length(digest) = 32),
                state text NOT NULL CHECK (state IN ('pending', 'committed', 'deleted')),
                created_at double precision NOT NULL,
                size bigint NOT NULL,
                file_count bigint NOT NULL,
                added_bytes bigint NOT NULL,
                description text NOT NULL DEFAULT '',
                metadata text NOT NULL DEFAULT '{}',
                producer_run_id text,
                distributed_id text,
                deleted_at double precision,
                damaged text,
                UNIQUE (artifact_id, idx)
            );
            CREATE INDEX version_by_state ON version(artifact_id, state, idx);
            CREATE INDEX version_by_producer ON version(producer_run_id);
            CREATE UNIQUE INDEX version_pending_by_distributed_id
                ON version(artifact_id, distributed_id) WHERE state = 'pending';
            CREATE TABLE alias (
                artifact_id bigint NOT NULL REFERENCES artifact(id),
                version_id bigint NOT NULL REFERENCES version(id),
                name text NOT NULL,
                name_key text COLLATE "C" NOT NULL,
                PRIMARY KEY (artifact_id, name_key)
            );
            CREATE INDEX alias_by_version ON alias(version_id);
            CREATE TABLE pack (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                key text COLLATE "C" NOT NULL UNIQUE,
                size bigint NOT NULL
            );
            CREATE TABLE chunk (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                digest bytea NOT NULL UNIQUE CHECK (octet_length(digest) = 32),
                pack_id bigint NOT NULL REFERENCES pack(id),
                pack_offset bigint NOT NULL,
                stored_length bigint NOT NULL,
                raw_length bigint NOT NULL,
                compression smallint NOT NULL
            );
            CREATE INDEX chunk_by_pack ON chunk(pack_id);
            CREATE TABLE content (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                digest bytea NOT NULL UNIQUE CHECK (octet_length(digest) = 32),
                size bigint NOT NULL
            );
            CREATE TABLE content_chunk (
                content_id bigint NOT NULL REFERENCES content(id),
                seq integer NOT NULL,
                chunk_id bigint NOT NULL REFERENCES chunk(id),
                PRIMARY KEY (content_id, seq)
            );
            CREATE INDEX content_chunk_by_chunk ON content_chunk(chunk_id);
            CREATE TABLE file (
                version_id bigint NOT NULL REFERENCES version(id),
                path text COLLATE "C" NOT NULL,
                content_id bigint NOT NULL REFERENCES content(id),
                PRIMARY KEY (version_id, path)
            );
            CREATE INDEX file_by_content ON file(content_id);
            CREATE TABLE run (
                id text COLLATE "C" PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES project(id),
                name text NOT NULL,
                group_name text,
                job_type text,
                sweep text,
                config text NOT NULL DEFAULT '{}',
                summary text NOT NULL DEFAULT '{}',
                state text NOT NULL CHECK (state IN ('running', 'finished', 'failed', 'crashed')),
                started_at double precision NOT NULL,
                finished_at double precision
            );
            CREATE INDEX run_by_project ON run(project_id, sweep, group_name);
            CREATE TABLE artifact_use (
                run_id text NOT NULL REFERENCES run(id),
                version_id bigint NOT NULL REFERENCES version(id),
                used_at double precision NOT NULL,
                PRIMARY KEY (run_id, version_id)
            );
            CREATE INDEX artifact_use_by_version ON artifact_use(version_id);
            """),
        // Reference entries (`put --reference`): `digest` is the recorded checksum as `ReferenceChecksum`
        // text (`sha256:HEX`, `md5:BASE64`, `etag:VALUE`, or the URI itself when unchecked);
        // `object_version` the S3 version id, if any. See `PostgresCatalog+References`.
        Migration(version: 2, name: "references-v1", sql: """
            CREATE TABLE file_reference (
                version_id bigint NOT NULL REFERENCES version(id),
                path text COLLATE "C" NOT NULL,
                uri text NOT NULL,
                digest text NOT NULL,
                size bigint NOT NULL,
                object_version text,
                PRIMARY KEY (version_id, path)
            )
            """),
        PostgresCatalogSchema.searchMigration,
        PostgresCatalogSchema.compactionMigration,
    ]

    /// The newest schema version this build knows.
    static var currentVersion: Int { migrations.last?.version ?? 0 }

    /// Applies what is missing, under the migration lock; returns the names applied.
    static func migrate(_ session: PostgresSession) throws -> [String] {
        try session.execute("SELECT pg_advisory_lock(\(migrationLock))")
        defer { _ = try? session.execute("SELECT pg_advisory_unlock(\(migrationLock))") }
        try session.execute("""
            CREATE TABLE IF NOT EXISTS arttui_catalog_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let applied = try appliedVersion(session)
        guard applied <= currentVersion else {
            throw PostgresCatalogError.schemaTooNew(found: applied, supported: currentVersion)
        }
        var names: [String] = []
        for migration in migrations where migration.version > applied {
            try session.transaction(.write) { session in
                // The extended protocol takes one statement at a time.
                for statement in migration.statements {
                    try session.execute(PostgresQuery(unsafeSQL: statement))
                }
                try session.execute("""
                    INSERT INTO arttui_catalog_migrations (version, name) VALUES (\(migration.version), \(migration.name))
                    """)
            }
            names.append(migration.name)
        }
        return names
    }

    /// Refuses a database whose schema is not the current one.
    static func requireCurrent(_ session: PostgresSession) throws {
        let exists = try session.row("SELECT to_regclass('arttui_catalog_migrations') IS NOT NULL")?[0].decode(Bool.self)
        let applied = exists == true ? try appliedVersion(session) : 0
        if applied > currentVersion { throw PostgresCatalogError.schemaTooNew(found: applied, supported: currentVersion) }
        if applied < currentVersion {
            throw StoreError.catalog(
                "catalog database has schema version \(applied), this arttui-server needs \(currentVersion): run arttui-server migrate")
        }
    }

    private static func appliedVersion(_ session: PostgresSession) throws -> Int {
        try session.row("SELECT coalesce(max(version), 0) FROM arttui_catalog_migrations")?[0].decode(Int.self) ?? 0
    }
}
