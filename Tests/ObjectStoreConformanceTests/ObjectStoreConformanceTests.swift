import ArtifactStore
import Foundation
import Testing
import StoreTestSupport

/// What every ObjectStore must do, run against each implementation.
@Suite struct ObjectStoreConformanceTests {
    @Test(arguments: ObjectStoreBackend.allCases)
    func storedObjectsReadBackWholeAndInRanges(_ backend: ObjectStoreBackend) throws {
        guard let store = try backend.makeStore() else { return }
        let content = randomBytes(200_003, seed: 1)
        let file = try TestKeys.stagedFile(content, in: store)
        try store.store(key: "packs/ab/one.pack", movingFile: file)
        #expect(!FileManager.default.fileExists(atPath: file.path), "store(movingFile:) leaves the staged file")
        let reader = try store.reader(key: "packs/ab/one.pack")
        #expect(reader.size == Int64(content.count))
        #expect(try reader.bytes(at: 0, content.count) == content)
        for (offset, length) in [(0, 1), (65_535, 2), (65_536, 70_000), (199_000, 1_003), (123_457, 0)] {
            #expect(try reader.bytes(at: Int64(offset), length) == Array(content[offset..<offset + length]))
        }
        // Backwards, as a restore of chunks out of pack order does.
        #expect(try reader.bytes(at: 10, 20) == Array(content[10..<30]))
        #expect(throws: StoreError.self) { _ = try reader.bytes(at: Int64(content.count) - 5, 10) }
    }

    @Test(arguments: ObjectStoreBackend.allCases)
    func objectsStoredFromMemoryReadBackInRangesAtOnce(_ backend: ObjectStoreBackend) throws {
        guard let store = try backend.makeStore() else { return }
        // Several segments of a sealed object; on S3 stores a PUT with UNSIGNED-PAYLOAD.
        let content = randomBytes(300_007, seed: 11)
        try store.store(key: "packs/12/memory.pack", bytes: Data(content))
        #expect(try store.reader(key: "packs/12/memory.pack").bytes(at: 0, content.count) == content)
        // Out of order, overlapping, repeated, far apart (separate GETs), one across segment
        // boundaries, an empty one, and one running past the end, which stops there.
        let ranges: [Range<Int64>] = [
            250_000..<250_100, 0..<10, 5..<70_000, 0..<10, 200_000..<200_000, 65_530..<131_080, 299_000..<400_000,
            140_000..<140_001,
        ]
        let read = try store.read(key: "packs/12/memory.pack", ranges: ranges)
        #expect(read.size == Int64(content.count))
        #expect(read.pieces.count == ranges.count)
        for (range, piece) in zip(ranges, read.pieces) {
            let end = min(Int(range.upperBound), content.count)
            #expect(Array(piece) == Array(content[Int(range.lowerBound)..<max(Int(range.lowerBound), end)]), "\(range)")
        }
        // Piece by piece, each piece where it belongs in its range.
        var assembled = ranges.map { [UInt8](repeating: 0, count: Int($0.upperBound - $0.lowerBound)) }
        var delivered = [Int](repeating: 0, count: ranges.count)
        let size = try store.read(key: "packs/12/memory.pack", ranges: ranges) { index, at, bytes in
            assembled[index].replaceSubrange(at..<at + bytes.count, with: bytes)
            delivered[index] += bytes.count
        }
        #expect(size == Int64(content.count))
        #expect(zip(assembled, delivered).map { Array($0.prefix($1)) } == read.pieces.map(Array.init))
        // A store that did not write the object (no header remembered) reads it the same way.
        let other = backend.reopened(store)
        #expect(try other.read(key: "packs/12/memory.pack", ranges: [140_000..<140_010]).pieces.map(Array.init)
            == [Array(content[140_000..<140_010])])
        #expect(throws: StoreError.self) { _ = try other.read(key: "packs/12/memory.pack", ranges: [300_007..<300_010]) }
        #expect {
            _ = try store.read(key: "packs/12/missing.pack", ranges: [0..<10])
        } throws: { error in
            guard case StoreError.io(_, let path, _) = error else { return false }
            return path.hasSuffix("packs/12/missing.pack")
        }
    }

    @Test(arguments: ObjectStoreBackend.allCases)
    func emptyObjectsAreObjects(_ backend: ObjectStoreBackend) throws {
        guard let store = try backend.makeStore() else { return }
        try store.store(key: "empty", movingFile: try TestKeys.stagedFile([], in: store))
        #expect(try store.reader(key: "empty").size == 0)
        #expect(try store.list() == [ObjectInfo(key: "empty", size: 0)])
    }

    @Test(arguments: ObjectStoreBackend.allCases)
    func aMissingKeyIsAnIOError(_ backend: ObjectStoreBackend) throws {
        guard let store = try backend.makeStore() else { return }
        #expect {
            _ = try store.reader(key: "packs/00/missing.pack")
        } throws: { error in
            guard case StoreError.io(_, let path, _) = error else { return false }
            return path.hasSuffix("packs/00/missing.pack") && !"\(error)".contains("\n")
        }
    }

    @Test(arguments: ObjectStoreBackend.allCases)
    func deletingIsIdempotent(_ backend: ObjectStoreBackend) throws {
        guard let store = try backend.makeStore() else { return }
        try store.store(key: "packs/cd/two.pack", movingFile: try TestKeys.stagedFile([1, 2, 3], in: store))
        try store.delete(key: "packs/cd/two.pack")
        try store.delete(key: "packs/cd/two.pack")
        try store.delete(key: "packs/ef/never.pack")
        #expect(throws: StoreError.self) { _ = try store.reader(key: "packs/cd/two.pack") }
        #expect(try store.list().isEmpty)
    }

    @Test(arguments: ObjectStoreBackend.allCases)
    func listingSpansPages(_ backend: ObjectStoreBackend) throws {
        guard let store = try backend.makeStore(listPageSize: 3) else { return }
        var expected: [ObjectInfo] = []
        for index in 0..<8 {
            let key = "packs/\(String(format: "%02x", index * 37))/p\(index).pack"
            let content = randomBytes(100 + index, seed: UInt64(index))
            try store.store(key: key, movingFile: try TestKeys.stagedFile(content, in: store))
            expected.append(ObjectInfo(key: key, size: Int64(content.count)))
        }
        #expect(try store.list() == expected.sorted { $0.key < $1.key })
    }

    @Test(arguments: ObjectStoreBackend.allCases)
    func largeObjectsStreamInAndOut(_ backend: ObjectStoreBackend) throws {
        guard let store = try backend.makeStore() else { return }
        let content = randomBytes(6 << 20 | 12_345, seed: 6)
        try store.store(key: "packs/ff/large.pack", movingFile: try TestKeys.stagedFile(content, in: store))
        let reader = try store.reader(key: "packs/ff/large.pack")
        #expect(reader.size == Int64(content.count))
        // Sequentially in chunk-sized reads, as a restore does.
        var offset = 0
        var matches = true
        while offset < content.count {
            let length = min(300_000, content.count - offset)
            let read = try reader.bytes(at: Int64(offset), length)
            matches = matches && read == Array(content[offset..<offset + length])
            offset += length
        }
        #expect(matches)
        #expect(try store.list() == [ObjectInfo(key: "packs/ff/large.pack", size: Int64(content.count))])
    }

    @Test(arguments: ObjectStoreBackend.allCases)
    func concurrentWritersOfDistinctKeys(_ backend: ObjectStoreBackend) throws {
        guard let store = try backend.makeStore() else { return }
        let writers = 8, perWriter = 3
        let failures = FailureLog()
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            for index in 0..<perWriter {
                do {
                    let content = randomBytes(50_000 + writer * 1000 + index, seed: UInt64(writer * 10 + index))
                    try store.store(
                        key: "packs/w\(writer)/\(index).pack", movingFile: try TestKeys.stagedFile(content, in: store))
                } catch {
                    failures.append("writer \(writer) object \(index): \(error)")
                }
            }
        }
        #expect(failures.lines.isEmpty)
        let listed = try store.list()
        #expect(listed.count == writers * perWriter)
        for writer in 0..<writers {
            for index in 0..<perWriter {
                let content = randomBytes(50_000 + writer * 1000 + index, seed: UInt64(writer * 10 + index))
                let reader = try store.reader(key: "packs/w\(writer)/\(index).pack")
                #expect(try reader.bytes(at: 0, content.count) == content)
            }
        }
    }
}

/// Lines appended from several threads.
final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}
