import Foundation

/// The rules for paths inside an artifact, checked when files are added and again before a restore
/// writes anything, so a crafted manifest can never write outside the destination.
public enum ManifestPath {
    /// The longest path accepted, in UTF-8 bytes.
    public static let maxLength = 4096

    /// Checks that `path` is a relative POSIX path with no empty, `.` or `..` components.
    ///
    /// One pass over the UTF-8 bytes: it runs for every file of every `put` and `get`.
    public static func validate(_ path: String) throws {
        let bytes = path.utf8
        if bytes.isEmpty { throw StoreError.unsafePath(path: path, reason: "the path is empty") }
        if bytes.first == UInt8(ascii: "/") { throw StoreError.unsafePath(path: path, reason: "the path is absolute") }
        if bytes.count > maxLength {
            throw StoreError.unsafePath(path: path, reason: "the path is longer than \(maxLength) bytes")
        }
        var componentLength = 0
        var dots = 0  // how many bytes of the current component are '.', while it is only dots
        func endComponent() throws {
            switch (componentLength, dots) {
            case (0, _): throw StoreError.unsafePath(path: path, reason: "the path has an empty component")
            case (1, 1): throw StoreError.unsafePath(path: path, reason: "the path has a '.' component")
            case (2, 2): throw StoreError.unsafePath(path: path, reason: "the path has a '..' component")
            default:
                if componentLength > 255 {
                    throw StoreError.unsafePath(path: path, reason: "a component is longer than 255 bytes")
                }
            }
        }
        for byte in bytes {
            switch byte {
            case 0: throw StoreError.unsafePath(path: path, reason: "the path contains a NUL byte")
            case UInt8(ascii: "\\"): throw StoreError.unsafePath(path: path, reason: "the path contains a backslash")
            case UInt8(ascii: "/"):
                try endComponent()
                componentLength = 0
                dots = 0
            case UInt8(ascii: "."):
                if dots == componentLength { dots += 1 }
                componentLength += 1
            default:
                componentLength += 1
            }
        }
        try endComponent()
    }
}
