import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Objects as files under a directory: `<root>/<key>`, written by fsync + rename + directory fsync.
public struct LocalObjectStore: ObjectStore {
    /// The directory holding the objects.
    public let root: URL
    /// Where new objects are assembled; on the same file system as `root` so `store` is a rename.
    public let stagingDirectory: URL

    /// Opens (and creates) an object directory.
    public init(root: URL, stagingDirectory: URL) throws {
        self.root = root
        self.stagingDirectory = stagingDirectory
        try makeDirectory(root.path)
        try makeDirectory(stagingDirectory.path)
    }

    public func store(key: String, movingFile file: URL) throws {
        let target = root.appendingPathComponent(key)
        let directory = target.deletingLastPathComponent()
        try FileSystem.fsync(path: file.path)
        // A concurrent delete may remove the (empty) directory between mkdir and rename: retry once.
        for attempt in 0..<2 {
            try makeDirectory(directory.path)
            if Glibc.rename(file.path, target.path) == 0 { break }
            if errno != ENOENT || attempt == 1 {
                throw StoreError.io(
                    operation: "rename", path: "\(file.path) to \(target.path)", reason: FileSystem.lastError())
            }
        }
        try FileSystem.fsync(path: directory.path)
    }

    public func reader(key: String) throws -> any ObjectReader {
        try LocalObjectReader(path: root.appendingPathComponent(key).path)
    }

    public func delete(key: String) throws {
        let url = root.appendingPathComponent(key)
        if unlink(url.path) != 0 && errno != ENOENT {
            throw StoreError.io(operation: "delete", path: url.path, reason: FileSystem.lastError())
        }
        // Leave no empty fan-out directories behind; fails harmlessly while another pack is there.
        rmdir(url.deletingLastPathComponent().path)
    }

    public func list() throws -> [ObjectInfo] {
        var result: [ObjectInfo] = []
        guard let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]
        ) else { return [] }
        let prefix = root.standardizedFileURL.path + "/"
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
            guard values?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            result.append(ObjectInfo(key: String(path.dropFirst(prefix.count)), size: Int64(values?.fileSize ?? 0)))
        }
        return result.sorted { $0.key < $1.key }
    }
}

/// A file opened for `pread`.
final class LocalObjectReader: ObjectReader {
    private let descriptor: Int32
    private let path: String
    let size: Int64

    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw StoreError.io(operation: "open", path: path, reason: FileSystem.lastError())
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = FileSystem.lastError()
            close(fd)
            throw StoreError.io(operation: "stat", path: path, reason: reason)
        }
        self.descriptor = fd
        self.path = path
        self.size = Int64(info.st_size)
    }

    deinit { close(descriptor) }

    /// Maps the range's pages into memory for `body` and unmaps them after: a restore hashes the
    /// bytes and writes them to their file straight from the page cache, one copy by the kernel
    /// instead of a `pread` into a buffer and a `write` out of it. Each range is unmapped at once, so
    /// the pages count toward the process's resident size only while they are used.
    ///
    /// Packs are never changed in place (written once, then read-only), so the bytes cannot shrink
    /// under the mapping; a range past the size seen at open is read the copying way, which reports it.
    func withBytes(
        offset: Int64, length: Int, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard length >= Self.mappedMinimum, offset >= 0, offset + Int64(length) <= size else {
            return try withCopiedBytes(offset: offset, length: length, scratch: &scratch, body)
        }
        let start = offset - offset % Self.pageSize
        let mappedLength = Int(offset - start) + length
        // MAP_POPULATE maps every page of the range in one call instead of one fault per few pages.
        guard let base = mmap(nil, mappedLength, PROT_READ, MAP_SHARED | MAP_POPULATE, descriptor, off_t(start)),
              base != UnsafeMutableRawPointer(bitPattern: -1)
        else {
            return try withCopiedBytes(offset: offset, length: length, scratch: &scratch, body)
        }
        defer { munmap(base, mappedLength) }
        try body(UnsafeRawBufferPointer(start: base + Int(offset - start), count: length))
    }

    private static let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))
    /// Below this a copy costs less than mapping and unmapping (two system calls and, with the other
    /// worker running, a TLB flush on its core): many-small's records of a few KiB are read.
    private static let mappedMinimum = 64 << 10

    func read(offset: Int64, length: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        precondition(buffer.count >= length)
        var done = 0
        while done < length {
            let n = pread(descriptor, buffer.baseAddress! + done, length - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(operation: "read", path: path, reason: FileSystem.lastError())
            }
            if n == 0 {
                throw StoreError.corruptData(
                    what: "pack \(path)", detail: "ends at \(offset + Int64(done)), expected \(length) bytes at \(offset)")
            }
            done += n
        }
    }
}
