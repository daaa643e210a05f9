#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CWriteback
import Foundation

/// A file written before it has its name, and given the name only once it is complete, so that
/// no reader ever sees it half-written.
///
/// On Linux it is made with `O_TMPFILE`: it has no name at all while it is written, a crash leaves
/// nothing behind, and placing it is one `linkat` into its directory (instead of creating a
/// temporary name and renaming it, which costs a second directory change and, across
/// directories, a file-system-wide rename lock). Where `O_TMPFILE` is not supported, it is a
/// hidden temporary file renamed into place.
///
/// Not thread-safe; close it with ``close()`` (placing does not close it).
struct PendingFile {
    /// The open file to write.
    let fd: Int32
    /// The temporary name, when the file has one.
    private let temporaryPath: String?

    /// Creates a file that will be placed in `directory`.
    ///
    /// `fallbackTemporary` names the temporary file used where anonymous files are not supported.
    /// `readable` opens it for reading too, so that it can be cloned or read back before it is placed.
    static func create(
        in directory: String, fallbackTemporary: @autoclosure () -> String, mode: mode_t, readable: Bool = false
    ) throws -> PendingFile {
        let access = readable ? O_RDWR : O_WRONLY
        #if os(Linux)
        if anonymousFilesWork {
            let fd = open(directory, oTmpFile | access | O_CLOEXEC, mode)
            if fd >= 0 { return PendingFile(fd: fd, temporaryPath: nil) }
            if ![EOPNOTSUPP, EISDIR, EINVAL].contains(errno) { throw systemError("create a file in", directory) }
        }
        #endif
        let path = fallbackTemporary()
        let fd = try openFile(path, access | O_CREAT | O_EXCL, mode: mode, operation: "create")
        return PendingFile(fd: fd, temporaryPath: path)
    }

    /// Creates a file that will be placed at `path`, replacing what is there.
    static func create(toBecome path: String, mode: mode_t, readable: Bool = false) throws -> PendingFile {
        try create(
            in: directory(of: path), fallbackTemporary: temporaryPath(beside: path), mode: mode, readable: readable)
    }

    /// A hidden name next to `path` for writing it before an atomic rename.
    static func temporaryPath(beside path: String) -> String {
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return directory(of: path) + "/.\(name).arttui-\(UUID().uuidString).part"
    }

    /// The directory part of a path ("." when it has none).
    static func directory(of path: String) -> String {
        path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(path[..<$0]) } ?? "."
    }

    /// Gives the file its name `path` (in the directory it was created for), replacing whatever
    /// is there.
    func place(at path: String) throws {
        try FaultInjection.check(.rename, operation: "rename", path: path)
        guard temporaryPath == nil else {
            if rename(temporaryPath!, path) != 0 { throw systemError("move into place", path) }
            return
        }
        #if os(Linux)
        if linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 { return }
        guard errno == EEXIST else { throw systemError("move into place", path) }
        // Something is there: link beside it, then rename over it so the swap is one step.
        let beside = Self.temporaryPath(beside: path)
        if linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, beside, AT_SYMLINK_FOLLOW) != 0 {
            throw systemError("move into place", path)
        }
        if rename(beside, path) != 0 {
            let error = systemError("move into place", path)
            unlink(beside)
            throw error
        }
        #endif
    }

    /// Files of at least this size have their blocks allocated before they are written.
    static let allocationMinimum: Int64 = 1 << 20

    /// Allocates the blocks of a file that will hold `size` bytes, before they are written, when
    /// it is large (see ``allocationMinimum``): a buffered write into allocated blocks skips ext4's
    /// per-block delayed-allocation bookkeeping, about a third of the kernel's CPU for writing
    /// nine 64 MiB files (0.112 → 0.072 s), for one `fallocate` per file. Where the file system
    /// cannot allocate ahead, blocks are allocated as they are written, as before.
    /// - Throws: `StoreError.io` naming `path` when the disk has no room for `size` bytes.
    func allocate(_ size: Int64, path: String) throws {
        guard size >= Self.allocationMinimum else { return }
        while arttui_allocate(fd, 0, size) != 0 {
            if errno == EINTR { continue }
            if errno == ENOSPC || errno == EDQUOT { throw systemError("make room for \(size) bytes of", path) }
            return
        }
    }

    /// Closes the file; a file never placed is gone with it.
    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #elseif canImport(Musl)
        _ = Musl.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
        if let temporaryPath { unlink(temporaryPath) }
    }

    #if os(Linux)
    /// `O_TMPFILE`, a macro Swift does not import: `__O_TMPFILE` (the same on every Linux
    /// architecture Swift runs on) with `O_DIRECTORY`.
    private static let oTmpFile: Int32 = 0o20_000_000 | O_DIRECTORY

    /// Whether `/proc/self/fd` is there to link anonymous files by: it is on any normal Linux system.
    private static let anonymousFilesWork = access("/proc/self/fd", X_OK) == 0
    #endif
}
