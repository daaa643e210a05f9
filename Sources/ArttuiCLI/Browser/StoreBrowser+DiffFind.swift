import ArtifactStore
import BrowserCore

/// `D` and `F` in the browser, through the store's diff and find.
extension StoreBrowser {
    func previousVersion(versionID: Int64) throws -> ArtifactVersion? {
        try store.previousVersion(of: store.version(id: versionID))
    }

    func diff(baseID: Int64, targetID: Int64) throws -> VersionDiff {
        try store.diff(from: store.version(id: baseID), to: store.version(id: targetID))
    }

    func patch(for change: FileChange, in diff: VersionDiff) throws -> FilePatch? {
        try store.patch(for: change, in: diff)
    }

    func find(_ search: BrowserSearch) throws -> [ArtifactVersion] { try store.find(search.query) }
}
