/// The account store's schema, one step per version; applied in order, each in its own transaction,
/// and recorded in `arttui_account_migrations` (distinct from the catalog's own migrations).
enum AccountMigrations {
    static let table = "arttui_account_migrations"

    static let steps: [String] = [
        """
        CREATE TABLE account_entities (
            id BIGSERIAL PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('user', 'team')),
            is_admin BOOLEAN NOT NULL DEFAULT FALSE,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE TABLE account_memberships (
            team_id BIGINT NOT NULL REFERENCES account_entities(id) ON DELETE CASCADE,
            user_id BIGINT NOT NULL REFERENCES account_entities(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
            PRIMARY KEY (team_id, user_id)
        );
        CREATE TABLE account_tokens (
            id BIGSERIAL PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES account_entities(id) ON DELETE CASCADE,
            hash BYTEA NOT NULL UNIQUE CHECK (length(hash) = 32),
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            expires_at TIMESTAMPTZ,
            revoked_at TIMESTAMPTZ
        );
        CREATE TABLE account_projects (
            id BIGSERIAL PRIMARY KEY,
            entity_id BIGINT NOT NULL REFERENCES account_entities(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            visibility TEXT NOT NULL CHECK (visibility IN ('private', 'public', 'open')),
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            UNIQUE (entity_id, name)
        );
        CREATE TABLE account_audit (
            id BIGSERIAL PRIMARY KEY,
            at TIMESTAMPTZ NOT NULL DEFAULT now(),
            user_name TEXT NOT NULL,
            entity TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL
        );
        CREATE INDEX account_audit_entity ON account_audit (entity, id);
        CREATE TABLE upload_sessions (
            id TEXT PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES account_projects(id) ON DELETE CASCADE,
            user_id BIGINT NOT NULL REFERENCES account_entities(id) ON DELETE CASCADE,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE TABLE upload_packs (
            upload_id TEXT NOT NULL REFERENCES upload_sessions(id) ON DELETE CASCADE,
            pack_key TEXT NOT NULL,
            size BIGINT NOT NULL,
            PRIMARY KEY (upload_id, pack_key)
        );
        CREATE TABLE upload_chunks (
            upload_id TEXT NOT NULL REFERENCES upload_sessions(id) ON DELETE CASCADE,
            digest BYTEA NOT NULL CHECK (length(digest) = 32),
            pack_key TEXT NOT NULL,
            "offset" BIGINT NOT NULL,
            stored_length BIGINT NOT NULL,
            raw_length INTEGER NOT NULL,
            compression SMALLINT NOT NULL,
            PRIMARY KEY (upload_id, digest)
        );
        CREATE TABLE project_chunks (
            project_id BIGINT NOT NULL REFERENCES account_projects(id) ON DELETE CASCADE,
            digest BYTEA NOT NULL CHECK (length(digest) = 32),
            PRIMARY KEY (digest, project_id)
        );
        """,
        // Abandoned uploads: when each was last used, and whether its staged packs were removed for age.
        """
        ALTER TABLE upload_sessions ADD COLUMN touched_at TIMESTAMPTZ NOT NULL DEFAULT now();
        ALTER TABLE upload_sessions ADD COLUMN expired BOOLEAN NOT NULL DEFAULT FALSE;
        CREATE INDEX upload_sessions_touched ON upload_sessions (touched_at) WHERE NOT expired;
        """,
        // Parts of a commit too large for one request: each part's files and contents, as JSON, until the commit.
        """
        CREATE TABLE upload_parts (
            upload_id TEXT NOT NULL REFERENCES upload_sessions(id) ON DELETE CASCADE,
            part INTEGER NOT NULL CHECK (part >= 0),
            body BYTEA NOT NULL,
            PRIMARY KEY (upload_id, part)
        );
        """,
    ]
}
