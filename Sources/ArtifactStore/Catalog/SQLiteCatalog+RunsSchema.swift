import GRDB

extension SQLiteCatalog {
    /// Migration "v2": runs, the runs' use of versions, and the lookups lineage and parallel writers need.
    ///
    /// Producers stay in `version.producerRunId` (v1); a run id is unique in the whole store, as the
    /// reference's are within an entity, so `put --run ID` needs no project.
    static func registerRunsMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                    id TEXT PRIMARY KEY,
                    projectId INTEGER NOT NULL REFERENCES project(id),
                    name TEXT NOT NULL,
                    groupName TEXT,
                    jobType TEXT,
                    sweep TEXT,
                    config TEXT NOT NULL DEFAULT '{}',
                    summary TEXT NOT NULL DEFAULT '{}',
                    state TEXT NOT NULL CHECK (state IN ('running', 'finished', 'failed', 'crashed')),
                    startedAt REAL NOT NULL,
                    finishedAt REAL
                ) WITHOUT ROWID;
                CREATE INDEX run_by_project ON run(projectId, sweep, groupName);
                CREATE TABLE artifact_use (
                    runId TEXT NOT NULL REFERENCES run(id),
                    versionId INTEGER NOT NULL REFERENCES version(id),
                    usedAt REAL NOT NULL,
                    PRIMARY KEY (runId, versionId)
                ) WITHOUT ROWID;
                CREATE INDEX artifact_use_by_version ON artifact_use(versionId);
                CREATE INDEX version_by_producer ON version(producerRunId);
                CREATE UNIQUE INDEX version_pending_by_distributed_id
                    ON version(artifactId, distributedId) WHERE state = 'pending';
                """)
        }
    }
}
