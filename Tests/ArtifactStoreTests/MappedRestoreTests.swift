import Crypto
import Foundation
import Testing
@testable import ArtifactStore
import StoreTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A local restore reads records in place from the packs' pages and hashes large writes on a
/// second thread: the bytes, the proof and the damage reports must be those of the copying path.
@Suite("Restoring from mapped packs")
struct MappedRestoreTests {
    /// Several chunks of incompressible bytes, so several records stored raw (uncompressed).
    private let big = randomBytes(9 << 20, seed: 41)

    @Test func mappedBytesAreTheReadBytesAtAnyOffset() throws {
        let fixture = try StoreFixture()
        let bytes = randomBytes(300_000 + 123, seed: 42)
        let path = fixture.root.appendingPathComponent("object").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try LocalObjectReader(path: path)
        var scratch: [UInt8] = []
        // Large ranges are mapped (at offsets that are not page-aligned too), small ones read.
        let ranges = [
            (0, 1), (1, 4095), (4095, 70_000), (4096, 65_536), (100, bytes.count - 100), (bytes.count - 1, 1),
            (bytes.count - 80_000, 80_000),
        ]
        for (offset, length) in ranges {
            var seen: [UInt8] = []
            try reader.withBytes(offset: Int64(offset), length: length, scratch: &scratch) { seen = Array($0) }
            #expect(seen == Array(bytes[offset..<offset + length]), "offset \(offset), length \(length)")
        }
        #expect(throws: StoreError.self) {
            try reader.withBytes(offset: Int64(bytes.count - 10), length: 20, scratch: &scratch) { _ in }
        }
    }

    @Test func hashingOnASecondThreadGivesTheSameDigest() throws {
        let fixture = try StoreFixture()
        let path = fixture.root.appendingPathComponent("written").path
        let fd = open(path, O_WRONLY | O_CREAT, 0o600)
        try #require(fd >= 0)
        defer { close(fd) }
        // One worker on a machine of two cores: the thread has a core to itself.
        let hashing = HashingThread(spare: HashingThread.SpareCores(workers: 1, cores: 2))
        defer { hashing.stop() }
        let writer = CacheWriter(fd: fd, path: path)
        writer.hashingThread = hashing
        // Pieces below and above the size handed to the thread, in turn.
        let sizes = [10, HashingThread.minimumBytes, 3 << 20, 1, HashingThread.minimumBytes - 1, 1 << 20]
        var all: [UInt8] = []
        for (index, size) in sizes.enumerated() {
            let piece = randomBytes(size, seed: UInt64(50 + index))
            try piece.withUnsafeBytes { bytes in
                #expect(hashing.takes(bytes) == (size >= HashingThread.minimumBytes))
                try writer.write(bytes)
            }
            all += piece
        }
        #expect(writer.finishDigest() == SHA256.hash(data: all).hexString)
        // With every core busy, nothing is handed over.
        #expect(!HashingThread(spare: HashingThread.SpareCores(workers: 2, cores: 2)).takes(UnsafeRawBufferPointer(
            start: UnsafeRawPointer(bitPattern: 0x1000), count: HashingThread.minimumBytes)))
        #expect(writer.bytesWritten == Int64(all.count))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(all))
    }

    @Test(arguments: CachePolicy.allCases)
    func rawRecordsRestoreByteForByte(policy: CachePolicy) throws {
        let fixture = try StoreFixture()
        let version = try fixture.put(fixture.tree("t", ["big.bin": big, "small.bin": randomBytes(5_000, seed: 43)])).version
        let out = fixture.root.appendingPathComponent("o")
        let report = try fixture.store.download(version, to: out, cache: fixture.cache, cachePolicy: policy)
        #expect(report.fromStore == 2)
        #expect(try fixture.contents(of: out) == ["big.bin": Data(big), "small.bin": Data(randomBytes(5_000, seed: 43))])
    }

    /// One flipped byte in the middle of a raw record: the file is reported by name with its
    /// damaged chunk, nothing is placed under its name nor added to the cache, and the other file
    /// is restored.
    @Test(arguments: CachePolicy.allCases)
    func aDamagedRawRecordIsReportedAndNothingIsPlaced(policy: CachePolicy) throws {
        let fixture = try StoreFixture()
        let small = randomBytes(5_000, seed: 44)
        let version = try fixture.put(fixture.tree("t", ["big.bin": big, "small.bin": small])).version
        let entry = try #require(try fixture.store.files(of: version).first { $0.path == "big.bin" })
        let chunks = try fixture.store.catalog.chunkLocations(contentDigest: entry.digest)
        try #require(chunks.count >= 3 && chunks.allSatisfy { $0.location.compression == .none })
        let damaged = chunks[chunks.count / 2]
        let path = fixture.store.directory.appendingPathComponent(damaged.location.packKey).path
        chmod(path, 0o644)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let at = Int(damaged.location.offset) + PackRecordHeader.size + damaged.location.rawLength / 2
        bytes[at] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: path))

        let out = fixture.root.appendingPathComponent("o")
        #expect { try fixture.store.download(version, to: out, cache: fixture.cache, cachePolicy: policy) } throws: { error in
            guard case let .damagedFile(name, file, detail)? = error as? StoreError else { return false }
            return name == "proj/data:v0" && file == "big.bin" && detail.contains("chunk \(damaged.digest.prefix(12))")
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("big.bin").path))
        #expect(try fixture.cache.lookup(digest: entry.digest, size: entry.size) == nil)
        #expect(try fixture.contents(of: out) == ["small.bin": Data(small)])
    }
}
