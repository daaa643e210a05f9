import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Any object store with every object sealed at rest (AES-256-GCM, `SealedObjectFormat`) under
/// the keyring's newest key; objects sealed under older keys of the keyring stay readable.
///
/// Keys, sizes in `list` and reads are those of the plaintext, so the rest of the store cannot
/// tell it from the store it wraps. Objects are only ever plaintext in the staging directory.
public struct SealedObjectStore: ObjectStore {
    /// The store holding the sealed bytes.
    public let inner: any ObjectStore
    /// The keys objects are sealed and opened with.
    public let keyring: MasterKeyring
    /// Headers of objects written or read here, shared by copies of this store.
    let headers = SealedHeaderCache()
    /// Memory for sealed objects on their way to `inner`, shared by copies of this store.
    let sealingBuffers = PackBuffers()

    /// Wraps `inner` so that everything stored through it is sealed.
    public init(wrapping inner: any ObjectStore, keyring: MasterKeyring) {
        self.inner = inner
        self.keyring = keyring
    }

    public var stagingDirectory: URL { inner.stagingDirectory }

    public func store(key: String, movingFile file: URL) throws {
        let sealedFile = stagingDirectory.appendingPathComponent("\(UUID().uuidString).sealing")
        do {
            let header = try seal(file, to: sealedFile, objectKey: key)
            try inner.store(key: key, movingFile: sealedFile)
            headers.insert(header, for: key)
        } catch {
            unlink(sealedFile.path)
            throw error
        }
        unlink(file.path)
    }

    /// Seals in memory and hands the sealed bytes on: no staging file is written or read back. The
    /// sealed bytes go into memory reused from earlier objects (`PackBuffers`).
    public func store(key: String, bytes: Data) throws {
        let sealed = sealingBuffers.take(Int(SealedObjectFormat.sealedSize(ofPlaintextSize: Int64(bytes.count))))
        let header: [UInt8]
        do {
            header = try bytes.withUnsafeBytes {
                try SealedObjectFormat.seal($0, objectKey: key, keyring: keyring, into: sealed.bytes)
            }
        } catch {
            sealingBuffers.give(sealed)
            throw error
        }
        try inner.store(key: key, bytes: sealingBuffers.data(sealed))
        headers.insert(header, for: key)
    }

    public func reader(key: String) throws -> any ObjectReader {
        try SealedObjectReader(wrapping: inner.reader(key: key), objectKey: key, keyring: keyring)
    }

    public func delete(key: String) throws {
        try inner.delete(key: key)
        headers.remove(key)
    }

    /// The objects with their plaintext sizes; an object cut inside a segment keeps its stored size,
    /// which then differs from the catalog's and shows up in a verify.
    public func list() throws -> [ObjectInfo] {
        try inner.list().map {
            ObjectInfo(key: $0.key, size: SealedObjectFormat.plaintextSize(ofSealedSize: $0.size) ?? $0.size)
        }
    }

    /// Writes the sealed form of `file` to `target`, segment by segment through reused buffers, and
    /// returns its header.
    private func seal(_ file: URL, to target: URL, objectKey: String) throws -> [UInt8] {
        let input = open(file.path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw StoreError.io(operation: "open", path: file.path, reason: FileSystem.lastError()) }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else {
            throw StoreError.io(operation: "stat", path: file.path, reason: FileSystem.lastError())
        }
        let output = open(target.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else {
            throw StoreError.io(operation: "create", path: target.path, reason: FileSystem.lastError())
        }
        defer { close(output) }
        var cipher = SegmentCipher(sealingFor: objectKey, keyring: keyring)
        let segment = SealedObjectFormat.segmentSize
        let size = Int(info.st_size)
        let count = max(1, (size + segment - 1) / segment)
        var plain = [UInt8](repeating: 0, count: segment)
        // The first write carries the header before its segment.
        var sealed = cipher.header + [UInt8](repeating: 0, count: segment + SealedObjectFormat.tagSize)
        var start = cipher.header.count
        for index in 0..<count {
            let length = min(segment, size - index * segment)
            try plain.withUnsafeMutableBytes { try readFully(input, into: $0, count: length, path: file.path) }
            let written = try plain.withUnsafeBytes { plainBytes in
                try sealed.withUnsafeMutableBytes { out in
                    try cipher.seal(
                        UnsafeRawBufferPointer(rebasing: plainBytes[0..<length]), index: UInt64(index),
                        isFinal: index == count - 1, into: out.baseAddress! + start)
                }
            }
            try writeFully(output, sealed, upTo: start + written, path: target.path)
            start = 0
        }
        return cipher.header
    }

    private func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, count: Int, path: String) throws {
        var done = 0
        while done < count {
            let n = Glibc.read(fd, buffer.baseAddress! + done, count - done)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw StoreError.io(operation: "read", path: path, reason: FileSystem.lastError()) }
            if n == 0 { throw StoreError.io(operation: "read", path: path, reason: "file shrank while being sealed") }
            done += n
        }
    }

    private func writeFully(_ fd: Int32, _ bytes: [UInt8], upTo end: Int, path: String) throws {
        try bytes.withUnsafeBytes { whole in
            let raw = UnsafeRawBufferPointer(rebasing: whole[0..<end])
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { throw StoreError.io(operation: "write", path: path, reason: FileSystem.lastError()) }
                done += n
            }
        }
    }
}
