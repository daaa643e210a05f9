import Foundation
import GRDB

extension SQLiteCatalog {
    private static let runColumns = """
        r.id, p.name AS project, r.name, r.groupName, r.jobType, r.sweep, r.config, r.summary, r.state,
        r.startedAt, r.finishedAt FROM run r JOIN project p ON p.id = r.projectId
        """

    public func startRun(_ run: RunRecord, resume: RunResume) throws -> RunRecord {
        try guarded {
            try database.write { db in
                if try Int.fetchOne(db, sql: "SELECT 1 FROM run WHERE id = ?", arguments: [run.id]) != nil {
                    guard resume != .never else { throw StoreError.runExists(id: run.id) }
                    try db.execute(
                        sql: "UPDATE run SET state = 'running', finishedAt = NULL WHERE id = ?", arguments: [run.id])
                    return try runRecord(db, id: run.id)
                }
                guard resume != .must else { throw StoreError.runNotFound(id: run.id) }
                try db.execute(
                    sql: "INSERT INTO project (name, createdAt) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                    arguments: [run.project, run.startedAt.timeIntervalSince1970])
                try db.execute(sql: """
                    INSERT INTO run (id, projectId, name, groupName, jobType, sweep, config, summary, state, startedAt)
                    VALUES (?, (SELECT id FROM project WHERE name = ?), ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        run.id, run.project, run.name, run.group, run.jobType, run.sweep,
                        SQLiteCatalog.metadataText(run.config), SQLiteCatalog.metadataText(run.summary),
                        run.state.rawValue, run.startedAt.timeIntervalSince1970,
                    ])
                return try runRecord(db, id: run.id)
            }
        }
    }

    public func run(id: String) throws -> RunRecord {
        try guarded { try database.read { db in try runRecord(db, id: id) } }
    }

    public func runs(project: String, sweep: String?, group: String?) throws -> [RunRecord] {
        try guarded {
            try database.read { db in
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM project WHERE name = ?", arguments: [project]) != nil
                else { throw StoreError.projectNotFound(project: project) }
                return try Row.fetchAll(db, sql: """
                    SELECT \(SQLiteCatalog.runColumns)
                    WHERE p.name = ? AND (? IS NULL OR r.sweep = ?) AND (? IS NULL OR r.groupName = ?)
                    ORDER BY r.startedAt, r.id
                    """, arguments: [project, sweep, sweep, group, group]).map(SQLiteCatalog.runRecord)
            }
        }
    }

    public func updateRun(id: String, summary: [String: JSONValue], state: RunState?) throws -> RunRecord {
        try guarded {
            try database.write { db in
                var run = try runRecord(db, id: id)
                run.summary.merge(summary) { _, new in new }
                try db.execute(
                    sql: "UPDATE run SET summary = ? WHERE id = ?",
                    arguments: [SQLiteCatalog.metadataText(run.summary), id])
                if let state {
                    let end: Double? = state == .running ? nil : Date().timeIntervalSince1970
                    try db.execute(
                        sql: "UPDATE run SET state = ?, finishedAt = ? WHERE id = ?",
                        arguments: [state.rawValue, end, id])
                }
                return try runRecord(db, id: id)
            }
        }
    }

    public func recordUse(runID: String, versionID: Int64) throws {
        try guarded {
            try database.write { db in
                _ = try runRecord(db, id: runID)
                let version = try versionRecord(db, id: versionID)
                guard version.state == .committed else {
                    throw StoreError.versionNotFound(
                        artifact: "\(version.project)/\(version.name)", reference: version.versionName)
                }
                try db.execute(sql: """
                    INSERT INTO artifact_use (runId, versionId, usedAt) VALUES (?, ?, ?)
                    ON CONFLICT (runId, versionId) DO NOTHING
                    """, arguments: [runID, versionID, Date().timeIntervalSince1970])
            }
        }
    }

    public func versions(loggedBy runID: String) throws -> [ArtifactVersion] {
        try guarded {
            try database.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT \(SQLiteCatalog.versionColumns)
                    WHERE v.producerRunId = ? AND v.state IN ('committed', 'deleted') ORDER BY v.createdAt, v.id
                    """, arguments: [runID])
                return try versionRecords(db, rows: rows)
            }
        }
    }

    public func versions(usedBy runID: String) throws -> [ArtifactVersion] {
        try guarded {
            try database.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT \(SQLiteCatalog.versionColumns)
                    JOIN artifact_use u ON u.versionId = v.id WHERE u.runId = ? ORDER BY u.usedAt, v.id
                    """, arguments: [runID])
                return try versionRecords(db, rows: rows)
            }
        }
    }

    public func runs(using versionID: Int64) throws -> [RunRecord] {
        try guarded {
            try database.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT \(SQLiteCatalog.runColumns)
                    JOIN artifact_use u ON u.runId = r.id WHERE u.versionId = ? ORDER BY u.usedAt, r.id
                    """, arguments: [versionID]).map(SQLiteCatalog.runRecord)
            }
        }
    }

    /// A run by id, or `runNotFound`.
    func runRecord(_ db: Database, id: String) throws -> RunRecord {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT \(SQLiteCatalog.runColumns) WHERE r.id = ?", arguments: [id])
        else { throw StoreError.runNotFound(id: id) }
        return SQLiteCatalog.runRecord(row)
    }

    private static func runRecord(_ row: Row) -> RunRecord {
        func object(_ text: String) -> [String: JSONValue] {
            (try? JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8))) ?? [:]
        }
        let finished: Double? = row["finishedAt"]
        return RunRecord(
            id: row["id"], project: row["project"], name: row["name"], group: row["groupName"],
            jobType: row["jobType"], sweep: row["sweep"], config: object(row["config"]),
            summary: object(row["summary"]), state: RunState(rawValue: row["state"]) ?? .crashed,
            startedAt: Date(timeIntervalSince1970: row["startedAt"]),
            finishedAt: finished.map(Date.init(timeIntervalSince1970:)))
    }
}
