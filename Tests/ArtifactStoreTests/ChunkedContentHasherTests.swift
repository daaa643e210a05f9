import Crypto
import Foundation
import Testing
@testable import ArtifactStore
import StoreTestSupport

/// The digests a put records, computed with each byte hashed as few times as possible, are still
/// plain SHA-256 of the chunks and of the whole content.
@Suite struct ChunkedContentHasherTests {
    @Test(arguments: [0, 5, 200_000, 3_000_000, 9_000_000])
    func digestsAreSHA256OfTheChunksAndOfTheWholeContent(_ size: Int) {
        let bytes = randomBytes(size, seed: UInt64(size))
        let cut = CutContent.cut(data: Data(bytes))
        #expect(cut.record.digest == Hex.encode(SHA256.hash(data: bytes)))
        #expect(cut.chunkLengths.reduce(0, +) == size)
        var offset = 0
        for (digest, length) in zip(cut.record.chunks, cut.chunkLengths) {
            #expect(digest == Hex.encode(SHA256.hash(data: bytes[offset..<offset + length])))
            offset += length
        }
        // The cases cover no chunk, one chunk (below the smallest cut: hashed once) and several.
        switch size {
        case 0: #expect(cut.record.chunks.isEmpty)
        case ..<ChunkingParameters.standard.minSize: #expect(cut.record.chunks.count == 1)
        default: #expect(cut.record.chunks.count > 1)
        }
    }

    @Test func aRecordPackedWithAKnownDigestIsTheRecordPackedFromTheBytes() throws {
        let codec = ZstdCodec()
        for chunk in [textLikeBytes(count: 300_000, seed: 4), randomBytes(70_000, seed: 5), Array("tiny\n".utf8)] {
            var hashed: [UInt8] = []
            var known: [UInt8] = []
            let digest = chunk.withUnsafeBytes { PackRecords.append(chunk: $0, to: &hashed, codec: codec) }
            chunk.withUnsafeBytes {
                PackRecords.append(chunk: $0, digest: Array(SHA256.hash(data: chunk)), to: &known, codec: codec)
            }
            #expect(known == hashed)
            let records = try known.withUnsafeBytes { try PackRecords.scan($0, packKey: "p", maxRawLength: 1 << 24, codec: codec) }
            #expect(records.map(\.digest) == [digest])
        }
    }
}
