import ArtifactStore
import Foundation
import PostgresNIO

extension PostgresCatalog {
    public func startRun(_ run: RunRecord, resume: RunResume) throws -> RunRecord {
        try write { session in
            if try session.row("SELECT 1 FROM run WHERE id = \(run.id) FOR UPDATE") != nil {
                guard resume != .never else { throw StoreError.runExists(id: run.id) }
                try session.execute("UPDATE run SET state = 'running', finished_at = NULL WHERE id = \(run.id)")
                return try runRecord(session, id: run.id)
            }
            guard resume != .must else { throw StoreError.runNotFound(id: run.id) }
            let started = run.startedAt.timeIntervalSince1970
            try session.execute(
                "INSERT INTO project (name, created_at) VALUES (\(run.project), \(started)) ON CONFLICT (name) DO NOTHING")
            let config = PostgresCatalog.metadataText(run.config)
            let summary = PostgresCatalog.metadataText(run.summary)
            let inserted = try session.execute("""
                INSERT INTO run (id, project_id, name, group_name, job_type, sweep, config, summary, state, started_at)
                VALUES (\(run.id), (SELECT id FROM project WHERE name = \(run.project)), \(run.name), \(run.group),
                    \(run.jobType), \(run.sweep), \(config), \(summary), \(run.state.rawValue), \(started))
                ON CONFLICT (id) DO NOTHING
                """)
            // Another process started a run with this id since the look above.
            if inserted == 0 { throw StoreError.runExists(id: run.id) }
            return try runRecord(session, id: run.id)
        }
    }

    public func run(id: String) throws -> RunRecord {
        try read { session in try runRecord(session, id: id) }
    }

    public func runs(project: String, sweep: String?, group: String?) throws -> [RunRecord] {
        try read { session in
            guard try session.row("SELECT 1 FROM project WHERE name = \(project)") != nil else {
                throw StoreError.projectNotFound(project: project)
            }
            return try session.rows(PostgresQuery(unsafeSQL: """
                SELECT \(Self.runColumns)
                WHERE p.name = $1 AND ($2::text IS NULL OR r.sweep = $2) AND ($3::text IS NULL OR r.group_name = $3)
                ORDER BY r.started_at, r.id
                """, binds: binds(project, sweep, group))).map(PostgresCatalog.runRecord)
        }
    }

    public func updateRun(id: String, summary: [String: JSONValue], state: RunState?) throws -> RunRecord {
        try write { session in
            guard try session.row("SELECT 1 FROM run WHERE id = \(id) FOR UPDATE") != nil else {
                throw StoreError.runNotFound(id: id)
            }
            var run = try runRecord(session, id: id)
            run.summary.merge(summary) { _, new in new }
            let text = PostgresCatalog.metadataText(run.summary)
            try session.execute("UPDATE run SET summary = \(text) WHERE id = \(id)")
            if let state {
                let end: Double? = state == .running ? nil : Date().timeIntervalSince1970
                try session.execute("UPDATE run SET state = \(state.rawValue), finished_at = \(end) WHERE id = \(id)")
            }
            return try runRecord(session, id: id)
        }
    }

    public func recordUse(runID: String, versionID: Int64) throws {
        try write { session in
            _ = try runRecord(session, id: runID)
            let version = try versionRecord(session, id: versionID)
            guard version.state == .committed else {
                throw StoreError.versionNotFound(artifact: "\(version.project)/\(version.name)", reference: version.versionName)
            }
            let now = Date().timeIntervalSince1970
            try session.execute("""
                INSERT INTO artifact_use (run_id, version_id, used_at) VALUES (\(runID), \(versionID), \(now))
                ON CONFLICT (run_id, version_id) DO NOTHING
                """)
        }
    }

    public func versions(loggedBy runID: String) throws -> [ArtifactVersion] {
        try read { session in
            try versionRecords(
                session, where: """
                    WHERE v.producer_run_id = $1 AND v.state IN ('committed', 'deleted') ORDER BY v.created_at, v.id
                    """, binds(runID))
        }
    }

    public func versions(usedBy runID: String) throws -> [ArtifactVersion] {
        try read { session in
            try versionRecords(
                session, where: "JOIN artifact_use u ON u.version_id = v.id WHERE u.run_id = $1 ORDER BY u.used_at, v.id",
                binds(runID))
        }
    }

    public func runs(using versionID: Int64) throws -> [RunRecord] {
        try read { session in
            try session.rows(PostgresQuery(unsafeSQL: """
                SELECT \(Self.runColumns)
                JOIN artifact_use u ON u.run_id = r.id WHERE u.version_id = $1 ORDER BY u.used_at, r.id
                """, binds: binds(versionID))).map(PostgresCatalog.runRecord)
        }
    }
}
