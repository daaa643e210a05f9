import Foundation

/// The rules for paths inside an artifact, checked when files are added and again before a restore
/// writes anything, so a crafted manifest can never write outside the destination.
public enum ManifestPath {
    /// The longest path accepted, in UTF-8 bytes.
    public static let maxLength = 4096

    /// Checks that `path` is a relative POSIX path with no empty, `.` or `..` components.
    public static func validate(_ path: String) throws {
        if path.isEmpty { throw StoreError.unsafePath(path: path, reason: "the path is empty") }
        if path.hasPrefix("/") { throw StoreError.unsafePath(path: path, reason: "the path is absolute") }
        if path.utf8.count > maxLength {
            throw StoreError.unsafePath(path: path, reason: "the path is longer than \(maxLength) bytes")
        }
        if path.contains("\0") { throw StoreError.unsafePath(path: path, reason: "the path contains a NUL byte") }
        if path.contains("\\") {
            throw StoreError.unsafePath(path: path, reason: "the path contains a backslash")
        }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            switch component {
            case "": throw StoreError.unsafePath(path: path, reason: "the path has an empty component")
            case ".": throw StoreError.unsafePath(path: path, reason: "the path has a '.' component")
            case "..": throw StoreError.unsafePath(path: path, reason: "the path has a '..' component")
            default:
                if component.utf8.count > 255 {
                    throw StoreError.unsafePath(path: path, reason: "a component is longer than 255 bytes")
                }
            }
        }
    }
}
