import Foundation
import Testing

@testable import ArtifactStore

/// Records decoded as they arrive in pieces give what decoding the whole run gives, wherever the
/// pieces are cut; a run cut short or damaged is refused.
@Suite struct PackRecordStreamTests {
    /// A run of records: a compressible chunk, an incompressible one, a tiny one, a large one.
    private func run() -> (records: [UInt8], chunks: [(String, [UInt8])]) {
        var generator = SystemRandomNumberGenerator()
        let chunks: [[UInt8]] = [
            Array(repeating: 7, count: 5000),
            (0..<3000).map { _ in UInt8.random(in: 0...255, using: &generator) },
            [1],
            (0..<200_000).map { UInt8(truncatingIfNeeded: $0 / 3) },
        ]
        var records: [UInt8] = []
        var expected: [(String, [UInt8])] = []
        for chunk in chunks {
            let digest = chunk.withUnsafeBytes { PackRecords.append(chunk: $0, to: &records, codec: ZstdCodec()) }
            expected.append((digest, chunk))
        }
        return (records, expected)
    }

    private func decode(_ records: [UInt8], pieces: Int, stream: inout PackRecordStream) throws -> [(String, [UInt8])] {
        var decoded: [(String, [UInt8])] = []
        try records.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + pieces)
                try stream.consume(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) { decoded.append(($0, Array($1))) }
                start = end
            }
        }
        try stream.finish()
        return decoded
    }

    @Test func piecesOfAnySizeDecodeToTheChunksInOrder() throws {
        let (records, expected) = run()
        var stream = PackRecordStream(maxRawLength: 1 << 20, codec: ZstdCodec(), checkingEach: true)
        // One byte at a time, across every header and payload boundary; a header's length; odd sizes; whole.
        for size in [1, 47, 48, 49, 1000, 4093, records.count] {
            let decoded = try decode(records, pieces: size, stream: &stream)
            #expect(decoded.map(\.0) == expected.map(\.0), "pieces of \(size)")
            #expect(decoded.map(\.1) == expected.map(\.1), "pieces of \(size)")
            stream.reset()
        }
    }

    @Test func compressedChunksAreDecompressedWhereTheCallerPlacesThemAndRawOnesHandedWhereTheyLie() throws {
        let (records, expected) = run()
        let area = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { area.deallocate() }
        var stream = PackRecordStream(maxRawLength: 1 << 20, codec: ZstdCodec(), checkingEach: true)
        var used = 0
        var placed: [Int] = []
        var decoded: [(String, [UInt8], Bool)] = []
        try records.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 4093)
                try stream.consume(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), placing: { count in
                    placed.append(count)
                    return area.baseAddress! + used
                }) { digest, chunk in
                    let inPlace = chunk.baseAddress == UnsafeRawPointer(area.baseAddress! + used)
                    if inPlace { used += chunk.count }
                    decoded.append((digest, Array(chunk), inPlace))
                }
                start = end
            }
        }
        try stream.finish()
        #expect(decoded.map(\.0) == expected.map(\.0))
        #expect(decoded.map(\.1) == expected.map(\.1))
        // The run of 7s and the counting bytes compress; the random bytes and the single byte are stored raw.
        #expect(decoded.map(\.2) == [true, false, false, true])
        #expect(placed == [5000, 200_000])
        #expect(Array(area[0..<5000]) == expected[0].1 && Array(area[5000..<205_000]) == expected[3].1)

        // A damaged compressed chunk placed is still refused: the check runs on the bytes where they were put.
        let first = try records.withUnsafeBytes {
            try PackRecords.scan($0, packKey: "p", maxRawLength: 1 << 20, codec: ZstdCodec())[0].location
        }
        #expect(first.compression == .zstd)
        var damaged = records
        damaged[Int(first.offset + first.storedLength) - 2] ^= 0xff
        stream.reset()
        #expect(throws: StoreError.self) {
            try damaged.withUnsafeBytes { bytes in
                try stream.consume(bytes, placing: { _ in area.baseAddress! }) { _, _ in }
            }
        }
    }

    @Test func aRunCutShortOrDamagedIsRefused() throws {
        let (records, _) = run()
        var stream = PackRecordStream(maxRawLength: 1 << 20, codec: ZstdCodec(), checkingEach: true)
        #expect(throws: StoreError.self) { _ = try decode(Array(records.dropLast(10)), pieces: 500, stream: &stream) }
        stream.reset()
        // The last byte of the second (incompressible, stored raw) record changed: its digest no longer matches,
        // and the message names where that record starts in the whole run.
        let second = try records.withUnsafeBytes {
            try PackRecords.scan($0, packKey: "p", maxRawLength: 1 << 20, codec: ZstdCodec())[1].location
        }
        #expect(second.compression == .none)
        var damaged = records
        damaged[Int(second.offset + second.storedLength) - 1] ^= 0xff
        #expect {
            _ = try decode(damaged, pieces: 777, stream: &stream)
        } throws: { error in
            guard case StoreError.corruptData(let what, _)? = error as? StoreError else { return false }
            return what == "pack record at offset \(second.offset)"
        }
        stream.reset()
        // A chunk larger than accepted is refused before it is decoded.
        var small = PackRecordStream(maxRawLength: 100_000, codec: ZstdCodec(), checkingEach: false)
        #expect(throws: StoreError.self) { _ = try decode(records, pieces: 4096, stream: &small) }
    }
}
