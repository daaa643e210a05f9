import ArtifactStore

/// A diff's counts: files by kind of change and the bytes that came and went.
struct DiffStat {
    var added = 0
    var removed = 0
    var modified = 0
    var renamed = 0
    /// Bytes of added files plus growth of modified ones.
    var bytesAdded: Int64 = 0
    /// Bytes of removed files plus shrinkage of modified ones.
    var bytesRemoved: Int64 = 0

    init(_ diff: VersionDiff) {
        for change in diff.files {
            switch change.kind {
            case .added: added += 1
            case .removed: removed += 1
            case .modified: modified += 1
            case .renamed: renamed += 1
            }
            let delta = change.sizeChange
            if delta > 0 { bytesAdded += delta } else { bytesRemoved -= delta }
        }
    }

    /// `4 files changed: 1 added, 1 removed, 1 modified, 1 renamed (+1.2 KiB, -3.0 KiB)`.
    var line: String {
        let total = added + removed + modified + renamed
        guard total > 0 else { return "no files changed" }
        return "\(total) file\(total == 1 ? "" : "s") changed: \(added) added, \(removed) removed, "
            + "\(modified) modified, \(renamed) renamed (+\(ByteSize.format(bytesAdded)), -\(ByteSize.format(bytesRemoved)))"
    }
}
