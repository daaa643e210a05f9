import Foundation
import Testing
@testable import ArtifactStore
import StoreTestSupport

@Suite struct FileChunkerTests {
    private func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-chunker-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url
    }

    private func fileChunks(_ bytes: [UInt8], _ chunker: FileChunker) throws -> [[UInt8]] {
        let url = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(at: url) }
        var chunks: [[UInt8]] = []
        try chunker.forEachChunk(ofFileAt: url.path) { chunks.append(Array($0)) }
        return chunks
    }

    private func memoryChunks(_ bytes: [UInt8], _ chunker: FastCDC) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        bytes.withUnsafeBytes { buffer in chunker.forEachChunk(of: buffer) { chunks.append(Array($0)) } }
        return chunks
    }

    /// Small blocks (odd-sized, smaller than maxSize) force many refills and tail moves.
    @Test(arguments: [5_000, 100_003, 8 << 20])
    func fileChunksEqualInMemoryChunks(_ blockSize: Int) throws {
        let bytes = randomBytes((3 << 20) + 777, seed: 5)
        let chunker = FileChunker(parameters: FastCDCTests.small, blockSize: blockSize)
        let fromFile = try fileChunks(bytes, chunker)
        #expect(fromFile.count > 100)
        #expect(fromFile == memoryChunks(bytes, chunker.chunker))
    }

    @Test func standardSizesOnAFileLargerThanOneBlock() throws {
        let bytes = randomBytes(20 << 20, seed: 6)
        let chunker = FileChunker()
        let fromFile = try fileChunks(bytes, chunker)
        #expect(fromFile == memoryChunks(bytes, chunker.chunker))
        #expect(fromFile.count > 5)
    }

    @Test func emptyAndTinyFiles() throws {
        let chunker = FileChunker(parameters: FastCDCTests.small)
        #expect(try fileChunks([], chunker).isEmpty)
        #expect(try fileChunks([1, 2, 3], chunker) == [[1, 2, 3]])
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: StoreError.io(operation: "open", path: "/nonexistent/arttui", reason: "No such file or directory")) {
            try FileChunker().forEachChunk(ofFileAt: "/nonexistent/arttui") { _ in }
        }
    }

    @Test func readErrorsNameThePath() throws {
        // Reading a directory fails with EISDIR after open succeeds.
        let directory = FileManager.default.temporaryDirectory.path
        #expect(throws: StoreError.io(operation: "read", path: directory, reason: "Is a directory")) {
            try FileChunker().forEachChunk(ofFileAt: directory) { _ in }
        }
    }
}
