import ArtifactStore
import BrowserCore

/// The cache as the browser's `C` view shows it, the same for a local store and a server: the
/// cache is on this machine and shared by both.
extension FileCache {
    /// Total size and the size per artifact, largest first. May take a while.
    func cacheSummary() throws -> CacheSummary {
        let report = try report(byProject: true)
        let entries = (report.projects ?? []).flatMap { project in
            project.artifacts.map {
                CacheEntry(project: project.project, artifact: $0.artifact, bytes: $0.bytes, fileCount: $0.files)
            }
        }.sorted { $0.bytes > $1.bytes }
        return CacheSummary(totalBytes: report.bytes, fileCount: report.files, entries: entries)
    }
}
