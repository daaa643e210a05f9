import Foundation
import GRDB

extension FileCache {
    /// How much the cache holds, from the running totals in the index (no directory walk).
    ///
    /// - Parameter byProject: also break usage down by project and artifact (one grouped
    ///   query over the ownership table). A file fetched by several projects or artifacts
    ///   counts in each of them, so the breakdown may add up to more than the total; files
    ///   inserted without an owner appear in no project.
    public func report(byProject: Bool = false) throws -> CacheReport {
        try index.database.read { db in
            let totals = try CacheIndex.totals(db)
            var report = CacheReport(bytes: totals.bytes, files: totals.files, path: directory.path, projects: nil)
            guard byProject else { return report }

            let projectRows = try Row.fetchAll(db, sql: """
                SELECT o.project, COUNT(*), COALESCE(SUM(e.size), 0)
                FROM (SELECT DISTINCT project, digest FROM owner) o JOIN entry e ON e.digest = o.digest
                WHERE \(CacheIndex.live("e"))
                GROUP BY o.project
                """)
            let artifactRows = try Row.fetchAll(db, sql: """
                SELECT o.project, o.artifact, COUNT(*), COALESCE(SUM(e.size), 0)
                FROM owner o JOIN entry e ON e.digest = o.digest
                WHERE \(CacheIndex.live("e"))
                GROUP BY o.project, o.artifact
                """)
            var artifacts: [String: [ArtifactUsage]] = [:]
            for row in artifactRows {
                artifacts[row[0], default: []].append(ArtifactUsage(artifact: row[1], bytes: row[3], files: row[2]))
            }
            report.projects = projectRows.map { row in
                let project: String = row[0]
                let usage = (artifacts[project] ?? []).sorted { ($0.bytes, $1.artifact) > ($1.bytes, $0.artifact) }
                return ProjectUsage(project: project, bytes: row[2], files: row[1], artifacts: usage)
            }
            .sorted { ($0.bytes, $1.project) > ($1.bytes, $0.project) }
            return report
        }
    }
}
