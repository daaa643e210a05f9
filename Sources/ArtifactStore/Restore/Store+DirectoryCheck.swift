import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a directory compares with a version's files: what `arttui verify ADDRESS --root DIR` reports,
/// and what the reference's `artifact.verify(root)` checks.
public struct DirectoryCheck: Sendable, Codable, Equatable {
    /// The version, as `project/name:vN`.
    public var version: String
    /// The directory checked.
    public var root: String
    /// Files in the version.
    public var files: Int
    /// Version files absent from the directory.
    public var missing: [String]
    /// Version files present with other content (hashed, or a size that differs; a reference with no
    /// content hash recorded is compared by size only).
    public var changed: [String]
    /// Files in the directory that the version does not have.
    public var extra: [String]

    /// Whether the directory holds exactly the version's files with their content.
    public var matches: Bool { missing.isEmpty && changed.isEmpty && extra.isEmpty }
}

extension Store {
    /// Hashes every file under `root` and compares it with the version's manifest: files missing,
    /// changed and extra. Symbolic links (as `get --link symlink` makes) are followed.
    /// - Throws: `StoreError.io` when `root` is not a readable directory.
    public func check(_ version: ArtifactVersion, against root: URL) throws -> DirectoryCheck {
        let rootPath = root.standardizedFileURL.path
        guard try SourceTree.kind(of: rootPath) == .directory else {
            throw StoreError.io(operation: "check", path: rootPath, reason: "not a directory")
        }
        let entries = try files(of: version)
        var missing: [String] = []
        var changed: [String] = []
        for entry in entries {
            switch try Self.compare(rootPath + "/" + entry.path, with: entry) {
            case .missing: missing.append(entry.path)
            case .changed: changed.append(entry.path)
            case .same: break
            }
        }
        let known = Set(entries.map(\.path))
        let extra = try Self.filePaths(under: rootPath).filter { !known.contains($0) }.sorted()
        return DirectoryCheck(
            version: version.qualifiedName, root: rootPath, files: entries.count, missing: missing.sorted(),
            changed: changed.sorted(), extra: extra)
    }

    private enum Comparison { case same, changed, missing }

    private static func compare(_ path: String, with entry: ManifestEntry) throws -> Comparison {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        guard info.st_mode & S_IFMT == S_IFREG else { return .changed }
        guard Int64(info.st_size) == entry.size else { return .changed }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(operation: "open", path: path, reason: FileSystem.lastError()) }
        defer { close(fd) }
        guard let expected = contentDigest(of: entry) else { return .same }
        return try hashFile(fd, path: path).digest == expected ? .same : .changed
    }

    /// The SHA-256 (hex) a file restored from `entry` must have: the digest of a stored file, the hash a
    /// `file://` (or untagged http) reference recorded as `sha256:HEX`; nil when the reference recorded
    /// no content hash (an ETag, an imported MD5, checksums off), where only the size can be compared,
    /// as the reference system skips such entries.
    private static func contentDigest(of entry: ManifestEntry) -> String? {
        guard !entry.isStored else { return entry.digest }
        if case .sha256(let hex) = ReferenceChecksum(digest: entry.digest) { return hex }
        return nil
    }

    /// Every non-directory entry under `root`, relative to it; linked directories are not entered.
    private static func filePaths(under root: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw StoreError.io(operation: "read directory", path: root, reason: "cannot list it")
        }
        var paths: [String] = []
        while let relative = walker.nextObject() as? String {
            var info = stat()
            guard lstat(root + "/" + relative, &info) == 0 else { continue }
            if info.st_mode & S_IFMT != S_IFDIR { paths.append(relative) }
        }
        return paths
    }
}
