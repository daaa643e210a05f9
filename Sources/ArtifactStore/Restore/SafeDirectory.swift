import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Creates directories under a restore root without ever following a symbolic link out of it.
enum SafeDirectory {
    /// Creates `relative` (already validated by `ManifestPath`) under `root`, one component at a time;
    /// refuses a component that exists as anything but a real directory.
    static func ensure(_ relative: String, under root: String) throws {
        var path = root
        for component in relative.split(separator: "/") {
            path += "/" + component
            var info = stat()
            if lstat(path, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw StoreError.unsafePath(
                        path: path, reason: "it exists and is not a directory (a symbolic link is never followed)")
                }
                continue
            }
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw StoreError.io(operation: "create directory", path: path, reason: FileSystem.lastError())
            }
        }
    }

    /// Whether `path` already holds this content, so a restore can leave it alone.
    static func holdsContent(_ path: String, digest: String, size: Int64, mode: LinkMode) throws -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR {
            throw StoreError.unsafePath(path: path, reason: "a directory is in the way of a file")
        }
        // Links from an earlier restore in another mode are replaced, never followed.
        guard kind == S_IFREG, Int64(info.st_size) == size, mode == .copy else { return false }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var hash = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return false }
            if n == 0 { break }
            buffer.withUnsafeBytes { hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return Hex.encode(Array(hash.finalize())) == digest
    }
}
