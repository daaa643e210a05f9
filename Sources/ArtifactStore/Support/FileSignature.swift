#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat` says about a file: enough to tell, without reading it, that it has not changed.
///
/// Any write to the file, through any hard link, changes the modification time; a `chmod`,
/// a new hard link or a replaced file changes the change time or the inode. When the
/// signature still matches, the content is taken as the one verified before, without
/// reading it again.
struct FileSignature: Equatable, Sendable {
    /// Length in bytes.
    var size: Int64
    /// Modification time, nanoseconds since 1970.
    var modifiedNs: Int64
    /// Inode number (its bit pattern, as SQLite stores signed integers).
    var inode: Int64
    /// Status change time, nanoseconds since 1970.
    var changedNs: Int64

    init(size: Int64, modifiedNs: Int64, inode: Int64, changedNs: Int64) {
        self.size = size
        self.modifiedNs = modifiedNs
        self.inode = inode
        self.changedNs = changedNs
    }

    init(_ status: stat) {
        #if canImport(Darwin)
        let modified = status.st_mtimespec, changed = status.st_ctimespec
        #else
        let modified = status.st_mtim, changed = status.st_ctim
        #endif
        size = Int64(status.st_size)
        modifiedNs = Int64(modified.tv_sec) * 1_000_000_000 + Int64(modified.tv_nsec)
        inode = Int64(bitPattern: UInt64(status.st_ino))
        changedNs = Int64(changed.tv_sec) * 1_000_000_000 + Int64(changed.tv_nsec)
    }

    /// The signature of the file at `path` (not following a symbolic link), or nil when
    /// nothing is there.
    static func of(path: String) throws -> FileSignature? {
        var status = stat()
        if lstat(path, &status) != 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw systemError("stat", path)
        }
        return FileSignature(status)
    }

    /// The signature of an open file.
    static func of(descriptor fd: Int32, path: String) throws -> FileSignature {
        var status = stat()
        if fstat(fd, &status) != 0 { throw systemError("stat", path) }
        return FileSignature(status)
    }
}
