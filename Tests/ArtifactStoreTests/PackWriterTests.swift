import Foundation
import StoreTestSupport
import Testing
@testable import ArtifactStore

@Suite struct PackWriterTests {
    /// Small records go through the write buffer, payloads of 1 MiB and more straight from the caller's
    /// memory; mixed in one pack, every record must still sit, whole and in order, where its location says.
    @Test func bufferedAndDirectRecordsLandWhereTheirLocationsSay() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-packs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let objects = try LocalObjectStore(
            root: root.appendingPathComponent("objects"), stagingDirectory: root.appendingPathComponent("staging"))
        let writer = PackWriter(objectStore: objects)
        let sizes = [100, 2 << 20, 7, 1 << 20, (1 << 20) - 1, (4 << 20) + 1, 50]
        let payloads = sizes.enumerated().map { randomBytes($1, seed: UInt64($0)) }
        var locations: [ChunkLocation] = []
        for (index, payload) in payloads.enumerated() {
            let digest = [UInt8](repeating: UInt8(index), count: 32)
            locations.append(try payload.withUnsafeBytes {
                try writer.append(digest: digest, rawLength: $0.count, payload: $0, compression: .none)
            })
        }
        let packs = try writer.finish()
        #expect(packs.count == 1)
        #expect(packs.first?.size == locations.last.map { $0.offset + $0.storedLength })
        let reader = try objects.reader(key: try #require(packs.first).key)
        var end: Int64 = 0
        for (index, (location, payload)) in zip(locations, payloads).enumerated() {
            #expect(location.offset == end, "record \(index)")
            end = location.offset + location.storedLength
            var bytes = [UInt8](repeating: 0, count: Int(location.storedLength))
            try bytes.withUnsafeMutableBytes { try reader.read(offset: location.offset, length: $0.count, into: $0) }
            let header = try bytes.withUnsafeBytes { try PackRecordHeader(decoding: $0) }
            #expect(header.payloadLength == payload.count && header.digest.first == UInt8(index), "record \(index)")
            #expect(Array(bytes[PackRecordHeader.size...]) == payload, "record \(index)")
        }
    }
}
