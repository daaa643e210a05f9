import Testing
@testable import ArtifactStore
import StoreTestSupport

@Suite struct FastCDCTests {
    /// Small sizes so tests see many chunks quickly; the standard sizes are covered separately.
    static let small = try! ChunkingParameters(minSize: 2 << 10, averageSize: 8 << 10, maxSize: 32 << 10)

    /// (offset, length) of every chunk.
    static func boundaries(_ bytes: [UInt8], _ chunker: FastCDC) -> [(offset: Int, length: Int)] {
        var result: [(offset: Int, length: Int)] = []
        var offset = 0
        bytes.withUnsafeBytes { buffer in
            chunker.forEachChunk(of: buffer) { chunk in
                result.append((offset, chunk.count))
                offset += chunk.count
            }
        }
        return result
    }

    @Test func gearTableIsPinned() {
        // The table is part of the store format; these values must never change.
        #expect(gearTable.count == 256)
        #expect(Set(gearTable).count == 256)
        #expect(gearTable[0] == 0x7356_F21A_B9EE_D73A)
        #expect(gearTable[255] == 0x61D2_0C9F_9314_EF16)
    }

    @Test func firstBoundariesArePinned() {
        let bytes = randomBytes(1 << 20, seed: 42)
        let lengths = Self.boundaries(bytes, FastCDC(parameters: Self.small)).prefix(8).map(\.length)
        #expect(lengths == [8470, 10092, 9284, 11584, 11333, 11984, 8249, 8445])
        let large = randomBytes(12 << 20, seed: 7)
        let standard = Self.boundaries(large, FastCDC()).prefix(4).map(\.length)
        #expect(standard == [1_375_404, 1_788_801, 1_501_512, 1_109_470])
    }

    @Test func chunksCoverTheInputWithinTheSizeLimits() {
        let bytes = randomBytes((4 << 20) + 123, seed: 1)
        let chunks = Self.boundaries(bytes, FastCDC(parameters: Self.small))
        #expect(chunks.map(\.length).reduce(0, +) == bytes.count)
        for chunk in chunks.dropLast() {
            #expect(chunk.length >= Self.small.minSize && chunk.length <= Self.small.maxSize)
        }
        #expect(chunks.last!.length <= Self.small.maxSize)
        // Normalized chunking keeps the mean near the target.
        let mean = Double(bytes.count) / Double(chunks.count)
        #expect(mean > 0.7 * Double(Self.small.averageSize) && mean < 1.5 * Double(Self.small.averageSize))
    }

    @Test func chunkingIsDeterministic() {
        let bytes = randomBytes(2 << 20, seed: 3)
        let first = Self.boundaries(bytes, FastCDC(parameters: Self.small))
        let second = Self.boundaries(bytes, FastCDC(parameters: Self.small))
        #expect(first.map(\.offset) == second.map(\.offset))
        #expect(first.count > 100)
    }

    @Test func smallAndEmptyInputs() {
        let chunker = FastCDC(parameters: Self.small)
        #expect(Self.boundaries([], chunker).isEmpty)
        #expect(Self.boundaries([1, 2, 3], chunker).map(\.length) == [3])
        let justUnderMin = [UInt8](repeating: 7, count: Self.small.minSize)
        #expect(Self.boundaries(justUnderMin, chunker).map(\.length) == [Self.small.minSize])
        // Constant bytes never hit a cut point: max-size chunks.
        let zeros = [UInt8](repeating: 0, count: 3 * Self.small.maxSize + 5)
        #expect(Self.boundaries(zeros, chunker).map(\.length) == [Self.small.maxSize, Self.small.maxSize, Self.small.maxSize, 5])
    }

    /// An edit in the middle of 64 MiB changes only the chunks around it.
    @Test(arguments: ["insert", "overwrite"])
    func boundariesResynchronizeAfterAnEdit(_ edit: String) {
        let original = randomBytes(64 << 20, seed: 11)
        let editAt = 32 << 20 + 12_345
        var edited = original
        let patch = randomBytes(100, seed: 99)
        let shift: Int
        if edit == "insert" {
            edited.insert(contentsOf: patch, at: editAt)
            shift = 100
        } else {
            edited.replaceSubrange(editAt..<editAt + 100, with: patch)
            shift = 0
        }
        let chunker = FastCDC()
        let before = Self.boundaries(original, chunker)
        let after = Self.boundaries(edited, chunker)
        #expect(before.count > 30)

        let headBefore = before.filter { $0.offset + $0.length <= editAt }
        #expect(Array(after.prefix(headBefore.count)).map(\.offset) == headBefore.map(\.offset))
        #expect(Array(after.prefix(headBefore.count)).map(\.length) == headBefore.map(\.length))

        // A chunk after the edit is unchanged when the same bytes appear at the shifted offset.
        struct Span: Hashable { var offset: Int; var length: Int }
        let originalSpans = Set(before.map { Span(offset: $0.offset, length: $0.length) })
        let tail = after.dropFirst(headBefore.count)
        let changed = tail.filter { chunk in
            chunk.offset < editAt + 100 || !originalSpans.contains(Span(offset: chunk.offset - shift, length: chunk.length))
        }
        #expect(changed.count >= 1 && changed.count <= 3, "changed chunks: \(changed.count)")
        #expect(tail.count - changed.count >= before.count - headBefore.count - 3)
    }
}
