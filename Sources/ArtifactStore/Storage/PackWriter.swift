import CWriteback
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Appends chunk records to pack files in the staging directory, starting a new pack past a size,
/// and hands finished packs to the object store in `finish()`.
///
/// Safe to call from several threads: compression happens before `append`, which only copies bytes.
final class PackWriter: Sendable {
    private struct OpenPack {
        var key: String
        var path: String
        var descriptor: Int32
        var size: Int64
        var buffer: [UInt8]
    }

    private struct State {
        var current: OpenPack?
        /// Full packs, flushed; their descriptors stay open (and locked) until they are stored.
        var closed: [(key: String, path: String, size: Int64, descriptor: Int32)] = []
        var failed = false
    }

    private let objectStore: any ObjectStore
    private let targetSize: Int64
    private let state = Mutex(State())
    private static let bufferLimit = 4 << 20
    /// Payloads at least this long go from the caller's memory to the file, not through the buffer:
    /// copying a chunk of incompressible data into the buffer was 2.6 % of a put of 512 MiB.
    private static let directLength = 1 << 20

    init(objectStore: any ObjectStore, targetSize: Int64 = 64 << 20) {
        self.objectStore = objectStore
        self.targetSize = targetSize
    }

    /// Appends one record and returns where it will live once `finish()` has stored the pack.
    func append(digest: [UInt8], rawLength: Int, payload: UnsafeRawBufferPointer, compression: ChunkCompression) throws
        -> ChunkLocation
    {
        let header = PackRecordHeader(
            compression: compression, rawLength: rawLength, payloadLength: payload.count, digest: digest
        ).encoded()
        return try state.withLock { state in
            // Take the pack out of the state while appending: a copy left behind would make every
            // append copy the whole write buffer (copy-on-write).
            var pack = try state.current.take() ?? openPack()
            let offset = pack.size
            pack.buffer.append(contentsOf: header)
            pack.size += Int64(header.count)
            if payload.count >= PackWriter.directLength {
                try writeDirectly(payload, to: &pack)
            } else {
                pack.buffer.append(contentsOf: payload)
                pack.size += Int64(payload.count)
                if pack.buffer.count >= PackWriter.bufferLimit {
                    try flush(&pack)
                }
            }
            if pack.size >= targetSize {
                try flush(&pack)
                state.closed.append((pack.key, pack.path, pack.size, pack.descriptor))
                state.current = nil
            } else {
                state.current = pack
            }
            return ChunkLocation(
                packKey: pack.key, offset: offset, storedLength: Int64(header.count + payload.count),
                rawLength: rawLength, compression: compression)
        }
    }

    /// Flushes and stores every pack (fsync, rename into place) and returns them.
    func finish() throws -> [ObjectInfo] {
        let closed: [(key: String, path: String, size: Int64, descriptor: Int32)] = try state.withLock { state in
            if var pack = state.current {
                try flush(&pack)
                state.closed.append((pack.key, pack.path, pack.size, pack.descriptor))
                state.current = nil
            }
            defer { state.closed = [] }
            return state.closed
        }
        var stored: [ObjectInfo] = []
        defer { for pack in closed { close(pack.descriptor) } }
        for (position, pack) in closed.enumerated() {
            do {
                try objectStore.store(key: pack.key, movingFile: URL(fileURLWithPath: pack.path))
            } catch {
                for rest in closed[position...] { unlink(rest.path) }
                for done in stored { try? objectStore.delete(key: done.key) }
                throw error
            }
            stored.append(ObjectInfo(key: pack.key, size: pack.size))
        }
        return stored
    }

    /// Removes packs not yet stored (the operation failed or was abandoned).
    func discard() {
        state.withLock { state in
            if let pack = state.current {
                close(pack.descriptor)
                unlink(pack.path)
                state.current = nil
            }
            for pack in state.closed {
                close(pack.descriptor)
                unlink(pack.path)
            }
            state.closed = []
        }
    }

    private func openPack() throws -> OpenPack {
        var name = PackWriter.newPackName()
        var path = objectStore.stagingDirectory.appendingPathComponent("\(name).pack.partial").path
        var fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
        guard fd >= 0 else { throw StoreError.io(operation: "create", path: path, reason: FileSystem.lastError()) }
        // The lock tells `sweepAbandoned` that a live writer owns this file. Another process's sweep can
        // take the file between its creation and the lock: then start again under a new name.
        _ = flock(fd, LOCK_EX)
        while !PackWriter.isStillLinked(fd, path: path) {
            close(fd)
            name = PackWriter.newPackName()
            path = objectStore.stagingDirectory.appendingPathComponent("\(name).pack.partial").path
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
            guard fd >= 0 else { throw StoreError.io(operation: "create", path: path, reason: FileSystem.lastError()) }
            _ = flock(fd, LOCK_EX)
        }
        let key = "packs/\(name.prefix(2))/\(name).pack"
        var buffer: [UInt8] = []
        buffer.reserveCapacity(PackWriter.bufferLimit + (4 << 20))
        return OpenPack(key: key, path: path, descriptor: fd, size: 0, buffer: buffer)
    }

    private func flush(_ pack: inout OpenPack) throws {
        guard !pack.buffer.isEmpty else { return }
        let path = pack.path
        let fd = pack.descriptor
        try pack.buffer.withUnsafeBytes { try writeAll(fd, $0, path: path) }
        // Start these bytes on their way to the disk now, while the workers go on cutting chunks:
        // left to the fsync in `finish()`, a put of 512 MiB spent its last 0.4 s (a quarter of its
        // time) waiting for the disk with both cores idle. Only a hint: a failure shows at the fsync.
        let length = Int64(pack.buffer.count)
        _ = arttui_start_writeback(fd, pack.size - length, length)
        pack.buffer.removeAll(keepingCapacity: true)
    }

    /// Writes the buffer and then `payload` at the end of the pack, and starts the writeback of both at
    /// once (a hint for the buffer alone would start a page that the payload then writes again).
    private func writeDirectly(_ payload: UnsafeRawBufferPointer, to pack: inout OpenPack) throws {
        let start = pack.size - Int64(pack.buffer.count)
        let path = pack.path
        let fd = pack.descriptor
        try pack.buffer.withUnsafeBytes { try writeAll(fd, $0, path: path) }
        pack.buffer.removeAll(keepingCapacity: true)
        try writeAll(fd, payload, path: path)
        pack.size += Int64(payload.count)
        _ = arttui_start_writeback(fd, start, pack.size - start)
    }

    /// Whether `path` still names the file open as `fd` (a sweep may have unlinked it).
    private static func isStillLinked(_ fd: Int32, path: String) -> Bool {
        var open = stat(), named = stat()
        guard fstat(fd, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_ino == named.st_ino && open.st_dev == named.st_dev
    }

    /// Removes partial packs whose writer died (their lock is free); a live writer's are left alone.
    static func sweepAbandoned(in directory: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasSuffix(".pack.partial") {
            let path = directory.appendingPathComponent(name).path
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { unlink(path) }
            close(fd)
        }
    }

    /// 32 random hex digits: pack names need only be unique, not derived from content.
    static func newPackName() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let value = generator.next() as UInt64
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
