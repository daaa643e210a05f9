#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

// Thin wrappers over POSIX calls, so that each failure becomes a `StoreError.io` naming the
// operation and the path, and so that names such as `write` and `stat` do not collide with
// methods of the types that call them.

/// The `StoreError` for a failed system call, with the `errno` it left.
func systemError(_ operation: String, _ path: String, code: Int32 = errno) -> StoreError {
    .io(operation: operation, path: path, reason: String(cString: strerror(code)))
}

/// Nanoseconds since 1970 on the wall clock.
func wallClockNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}

/// Opens `path`, retrying on EINTR.
func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o600, operation: String) throws -> Int32 {
    while true {
        let fd = open(path, flags | O_CLOEXEC, mode)
        if fd >= 0 { return fd }
        if errno != EINTR { throw systemError(operation, path) }
    }
}

/// Writes all of `bytes` to `fd`.
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
    try FaultInjection.check(.write, operation: "write", path: path)
    var offset = 0
    while offset < bytes.count {
        let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            throw systemError("write", path)
        }
        offset += written
    }
}

/// Reads up to `buffer.count` bytes; 0 at end of file.
func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
    while true {
        let count = read(fd, buffer.baseAddress!, buffer.count)
        if count >= 0 { return count }
        if errno != EINTR { throw systemError("read", path) }
    }
}

/// Removes a file; a file already gone is not an error.
func removeFileIfPresent(_ path: String) throws {
    if unlink(path) != 0 && errno != ENOENT {
        throw systemError("remove", path)
    }
}

/// Creates a directory and its parents; an existing directory is fine.
func makeDirectory(_ path: String) throws {
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw StoreError.io(operation: "create directory", path: path, reason: obstacle(creating: path) ?? FileSystem.reason(of: error))
    }
}

/// The file that is not a directory where `path` or one of its parents should be, worded for a user:
/// Foundation on Linux says only "A file with the same name already exists", naming neither.
private func obstacle(creating path: String) -> String? {
    var prefix = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
        prefix += "/" + component
        var info = stat()
        guard stat(prefix, &info) == 0 else { return nil }
        if info.st_mode & S_IFMT != S_IFDIR { return "\(prefix) is a file, not a directory" }
    }
    return nil
}
