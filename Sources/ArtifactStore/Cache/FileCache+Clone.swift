#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension FileCache {
    /// Adds a file that was just written and checked elsewhere (a download's destination, not yet
    /// placed) as a reflink clone of it, without writing its bytes again.
    ///
    /// The clone shares the source's blocks and the file system copies a block when either file is
    /// written, so editing the downloaded file never changes the cache entry; unlike a hard link,
    /// the two are separate inodes.
    /// - Parameter source: the open, readable file whose content has this digest and size.
    /// - Returns: false when the file system cannot clone between the two (ext4, another device, …);
    ///   nothing is cached then.
    /// - Throws: `StoreError.io` when the cache cannot be written.
    func insert(digest: String, size: Int64, owner: CacheOwner?, cloning source: Int32) throws -> Bool {
        let (path, file) = try pendingEntry(digest)
        defer { file.close() }
        guard try Reflink.clone(from: source, to: file.fd, path: path) else { return false }
        var status = stat()
        guard fstat(file.fd, &status) == 0 else { throw systemError("stat", path) }
        guard Int64(status.st_size) == size else {
            throw StoreError.corruptData(
                what: "file for the cache", detail: "clone has \(status.st_size) bytes, expected \(size)")
        }
        guard fchmod(file.fd, 0o444) == 0 else { throw systemError("chmod", path) }
        try adopt(file, digest: digest, path: path, owner: owner)
        return true
    }

    /// Whether a file made in `directory` can be cloned into the cache: an unnamed file of one 4 KiB
    /// block there (not smaller: Btrfs keeps files under 2 KiB inline in its metadata, where some
    /// kernels refuse to clone, and would answer no for files that clone), cloned into an unnamed file
    /// in the cache's `tmp/`; both are gone once closed.
    /// - Throws: `StoreError.io` when either file cannot be made or written.
    func clones(from directory: String) throws -> Bool {
        let probe = try PendingFile.create(
            in: directory, fallbackTemporary: PendingFile.temporaryPath(beside: directory + "/reflink-probe"),
            mode: 0o600, readable: true)
        defer { probe.close() }
        // Not through `writeAll`: the probe is no write a fault injected by count should land on.
        let block = [UInt8](repeating: 0, count: 4096)
        guard pwrite(probe.fd, block, block.count, 0) == block.count else { throw systemError("write a file in", directory) }
        let target = try PendingFile.create(
            in: tmpPath, fallbackTemporary: "\(tmpPath)/reflink-probe-\(UUID().uuidString).part", mode: 0o600)
        defer { target.close() }
        return try Reflink.clone(from: probe.fd, to: target.fd, path: tmpPath)
    }

    /// Adds a file that was just written and checked elsewhere by copying it: its bytes are read
    /// back (from the page cache, as a rule) and written, and hashed on the way.
    func insert(digest: String, size: Int64, owner: CacheOwner?, copying source: Int32, sourcePath: String) throws {
        try insert(digest: digest, size: size, owner: owner, copyToPath: nil) { sink in
            var offset: off_t = 0
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let count = pread(source, buffer.baseAddress!, buffer.count, offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw systemError("read", sourcePath)
                }
                if count == 0 { return }
                try sink.write(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                offset += off_t(count)
            }
        }
    }
}
