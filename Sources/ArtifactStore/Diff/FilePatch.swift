import Foundation

/// A file change as a unified diff, or why there is none.
public enum FilePatch: Hashable, Sendable {
    /// A unified diff (`--- a/…`, `+++ b/…`, `@@` hunks with three lines of context).
    case text(String)
    /// One side is not text (it holds a NUL byte or is not UTF-8).
    case binary
    /// One side is larger than the limit, in bytes.
    case tooLarge(limit: Int64)
    /// Same content at a new path: nothing to show.
    case renamed
    /// One side is a reference entry, whose bytes the store does not hold: what each side points at,
    /// on one line (`s3://bucket/key (version V), etag:E → …`).
    case reference(String)

    /// The largest file, in bytes, a patch is made for: larger files say so instead.
    public static let defaultSizeLimit: Int64 = 1_000_000

    /// Lines of unchanged text around each change.
    static let context = 3

    /// The unified diff from `old` to `new` (nil for a side that does not exist), or nil when both
    /// are text and equal. Returns `.binary` when either side is not text.
    public static func make(old: Data?, new: Data?, oldPath: String?, newPath: String?) -> FilePatch? {
        var sides: [String] = []
        for data in [old, new] {
            guard let data else {
                sides.append("")
                continue
            }
            guard let text = text(data) else { return .binary }
            sides.append(text)
        }
        return unified(
            lines(sides[0]), lines(sides[1]), oldLabel: oldPath.map { "a/" + $0 } ?? "/dev/null",
            newLabel: newPath.map { "b/" + $0 } ?? "/dev/null"
        ).map { .text($0) }
    }

    /// UTF-8 text without NUL bytes, or nil.
    static func text(_ data: Data) -> String? {
        if data.contains(0) { return nil }
        return String(validating: data, as: UTF8.self)
    }

    /// Lines with their terminators, so that a missing final newline counts as a change.
    static func lines(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var start = text.startIndex
        for index in text.indices where text[index] == "\n" {
            result.append(text[start...index])
            start = text.index(after: index)
        }
        if start < text.endIndex { result.append(text[start...]) }
        return result
    }

    private enum Edit { case same, removed, inserted }

    /// The hunks from `old` to `new`, or nil when equal.
    static func unified(_ old: [Substring], _ new: [Substring], oldLabel: String, newLabel: String) -> String? {
        guard old != new else { return nil }
        // The edit script: Myers' difference from the standard library, walked into one sequence.
        let difference = new.difference(from: old)
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var script: [(edit: Edit, oldIndex: Int, newIndex: Int)] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count && removed.contains(i) {
                script.append((.removed, i, j))
                i += 1
            } else if j < new.count && inserted.contains(j) {
                script.append((.inserted, i, j))
                j += 1
            } else {
                script.append((.same, i, j))
                i += 1
                j += 1
            }
        }
        var output = "--- \(oldLabel)\n+++ \(newLabel)\n"
        var position = 0
        while let first = script[position...].firstIndex(where: { $0.edit != .same }) {
            // Extend the hunk while the next change is within two contexts' reach.
            var last = first
            var scan = first
            while scan < script.count {
                if script[scan].edit != .same {
                    last = scan
                } else if scan - last > 2 * context {
                    break
                }
                scan += 1
            }
            let start = max(position, first - context)
            let end = min(script.count, last + context + 1)
            let hunk = script[start..<end]
            let oldCount = hunk.filter { $0.edit != .inserted }.count
            let newCount = hunk.filter { $0.edit != .removed }.count
            let oldStart = hunk.first!.oldIndex + (oldCount > 0 ? 1 : 0)
            let newStart = hunk.first!.newIndex + (newCount > 0 ? 1 : 0)
            output += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n"
            for step in hunk {
                let (marker, line): (String, Substring) = switch step.edit {
                case .same: (" ", old[step.oldIndex])
                case .removed: ("-", old[step.oldIndex])
                case .inserted: ("+", new[step.newIndex])
                }
                output += marker + line
                if !line.hasSuffix("\n") { output += "\n\\ No newline at end of file\n" }
            }
            position = end
            if position >= script.count { break }
        }
        return output
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(start),\(count)"
    }
}

extension FilePatch {
    /// A change as a unified diff, reading both sides through `contents` (a file of a version, checked);
    /// files over `sizeLimit` bytes and non-text files are reported as such, unread.
    public static func make(
        for change: FileChange, in diff: VersionDiff, sizeLimit: Int64,
        contents: (ManifestEntry, ArtifactVersion) throws -> Data
    ) throws -> FilePatch? {
        if change.kind == .renamed { return .renamed }
        if change.base?.reference != nil || change.target?.reference != nil {
            return .reference("\(referenceSide(change.base)) → \(referenceSide(change.target))")
        }
        if max(change.base?.size ?? 0, change.target?.size ?? 0) > sizeLimit { return .tooLarge(limit: sizeLimit) }
        let old = try change.base.map { try contents($0, diff.base) }
        let new = try change.target.map { try contents($0, diff.target) }
        return FilePatch.make(old: old, new: new, oldPath: change.base?.path, newPath: change.target?.path)
    }

    /// One side of a change involving a reference, for `.reference`.
    private static func referenceSide(_ entry: ManifestEntry?) -> String {
        guard let entry else { return "nothing" }
        guard let reference = entry.reference else { return "stored file \(entry.digest.prefix(12))" }
        let version = reference.objectVersion.map { " (version \($0))" } ?? ""
        return "\(reference.uri)\(version), \(entry.digest)"
    }
}
