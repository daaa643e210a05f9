import Testing
@testable import ArtifactStore
import StoreTestSupport

@Suite struct ZstdCodecTests {
    @Test(arguments: [1, 3, 9] as [Int32])
    func roundTripsCompressibleData(_ level: Int32) throws {
        let codec = ZstdCodec()
        let raw = textLikeBytes(count: 1 << 20, seed: 1)
        let compressed = try #require(raw.withUnsafeBytes { codec.compress($0, level: level) })
        #expect(compressed.count < raw.count / 2)
        let restored = try compressed.withUnsafeBytes { try codec.decompress($0, rawLength: raw.count) }
        #expect(restored == raw)
    }

    @Test func reusesOneCodecForManyChunks() throws {
        let codec = ZstdCodec()
        for seed in 0..<20 as Range<UInt64> {
            let raw = textLikeBytes(count: 10_000 + Int(seed) * 997, seed: seed)
            let compressed = try #require(raw.withUnsafeBytes { codec.compress($0) })
            #expect(try compressed.withUnsafeBytes { try codec.decompress($0, rawLength: raw.count) } == raw)
        }
    }

    @Test func incompressibleInputIsNotCompressed() {
        let codec = ZstdCodec()
        let random = randomBytes(256 << 10, seed: 2)
        #expect(random.withUnsafeBytes { codec.compress($0) } == nil)
        #expect([UInt8]().withUnsafeBytes { codec.compress($0) } == nil)
        // Half random, half zeros compresses by about half: worth it.
        let mixed = Array(random.prefix(128 << 10)) + [UInt8](repeating: 0, count: 128 << 10)
        let compressed = mixed.withUnsafeBytes { codec.compress($0) }
        #expect(compressed != nil && compressed!.count < mixed.count * 6 / 10)
    }

    @Test func largeInputsAreJudgedBySamplesAndBuffersAreReused() throws {
        let codec = ZstdCodec()
        let text = textLikeBytes(count: 2 << 20, seed: 3)
        let random = randomBytes(2 << 20, seed: 4)
        #expect(random.withUnsafeBytes { codec.withCompressed($0) { $0 == nil } }, "random input is stored raw")
        // Shrinking and growing through the same output buffer.
        for raw in [text, Array(text.prefix(70 << 10)), text, Array(text.prefix(100))] {
            let compressed = try #require(raw.withUnsafeBytes { codec.compress($0) })
            let restored = try compressed.withUnsafeBytes { payload in
                try codec.withDecompressed(payload, rawLength: raw.count) { Array($0) }
            }
            #expect(restored == raw)
        }
    }

    /// Long inputs are compressed with parameters of their own, which zstd's one-shot call (used for
    /// the samples and for short inputs) resets: the frame must not depend on what came before.
    @Test func aLongInputGivesTheSameFrameWhateverTheCodecCompressedBefore() throws {
        let long = textLikeBytes(count: ZstdCodec.longMatchLength + 123_457, seed: 5)
        let fresh = try #require(long.withUnsafeBytes { ZstdCodec().compress($0) })
        let codec = ZstdCodec()
        let short = textLikeBytes(count: 20_000, seed: 6)
        for raw in [short, long, short, Array(long.prefix(ZstdCodec.sampledLength + 1)), long] {
            let compressed = try #require(raw.withUnsafeBytes { codec.compress($0) })
            #expect(try compressed.withUnsafeBytes { try codec.decompress($0, rawLength: raw.count) } == raw)
            if raw.count == long.count { #expect(compressed == fresh) }
        }
        // Other levels keep zstd's own parameters: level 3 asked for explicitly is the default.
        let level9 = try #require(long.withUnsafeBytes { codec.compress($0, level: 9) })
        #expect(try level9.withUnsafeBytes { try codec.decompress($0, rawLength: long.count) } == long)
        #expect(try #require(long.withUnsafeBytes { codec.compress($0, level: 3) }) == fresh)
    }

    @Test func corruptPayloadThrows() throws {
        let codec = ZstdCodec()
        let raw = textLikeBytes(count: 200_000, seed: 3)
        var compressed = try #require(raw.withUnsafeBytes { codec.compress($0) })
        let truncated = Array(compressed.prefix(compressed.count / 2))
        #expect(throws: StoreError.self) {
            try truncated.withUnsafeBytes { try codec.decompress($0, rawLength: raw.count) }
        }
        #expect {
            try compressed.withUnsafeBytes { try codec.decompress($0, rawLength: raw.count - 1) }
        } throws: { error in
            guard case .corruptData(let what, _)? = error as? StoreError else { return false }
            return what == "compressed chunk"
        }
        #expect {
            try compressed.withUnsafeBytes { try codec.decompress($0, rawLength: raw.count + 1) }
        } throws: { message(of: $0) == "corrupt compressed chunk: decompressed to \(raw.count) bytes, expected \(raw.count + 1)" }
        compressed[0] ^= 0xFF  // breaks the magic number
        #expect {
            try compressed.withUnsafeBytes { try codec.decompress($0, rawLength: raw.count) }
        } throws: { message(of: $0).hasPrefix("corrupt compressed chunk: zstd: ") }
        // The codec still works after errors.
        compressed[0] ^= 0xFF
        #expect(try compressed.withUnsafeBytes { try codec.decompress($0, rawLength: raw.count) } == raw)
    }
}
