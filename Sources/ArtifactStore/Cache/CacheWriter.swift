import Crypto
import Foundation

/// The sink a caller streams one file's bytes into while inserting it into a ``FileCache``.
///
/// Bytes are hashed (SHA-256) and counted as they are written, so the cache verifies what
/// reached the disk without reading it back. ``FileCache/insert(digest:size:owner:copyTo:write:)``
/// hands one to its `write` closure; a restore without a cache writes its files through one too.
public final class CacheWriter {
    /// Bytes written so far.
    public private(set) var bytesWritten: Int64 = 0

    /// A second file that receives the same bytes: the restored file a `get` writes.
    struct Copy {
        var fd: Int32
        var path: String
    }

    private let fd: Int32
    private let path: String
    private let copy: Copy?
    private var hasher = SHA256()

    init(fd: Int32, path: String, copy: Copy? = nil) {
        self.fd = fd
        self.path = path
        self.copy = copy
    }

    /// Appends `bytes` to the file (and to its copy, if there is one).
    /// - Throws: `StoreError.io` when the file system refuses the write (disk full, …).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        if let hashingThread, hashingThread.takes(bytes) {
            try hashingThread.update(&hasher, with: bytes) { try writeOut(bytes) }
        } else {
            try writeOut(bytes)
            hasher.update(bufferPointer: bytes)
        }
        bytesWritten += Int64(bytes.count)
    }

    /// Where large writes are hashed meanwhile while a core is spare; nil hashes every write inline.
    var hashingThread: HashingThread?

    private func writeOut(_ bytes: UnsafeRawBufferPointer) throws {
        try writeAll(fd, bytes, path: path)
        if let copy { try writeAll(copy.fd, bytes, path: copy.path) }
    }

    /// Appends `data` to the file.
    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }

    /// The SHA-256 of everything written, in lowercase hex. Call once, after the last write.
    func finishDigest() -> String {
        hasher.finalize().hexString
    }
}

extension SHA256.Digest {
    /// Lowercase hex, the way the cache names its files.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
