import Crypto
import Foundation

/// A file's content cut into chunks exactly as `put` cuts it, with nothing stored: what a client of
/// a team server needs to ask which chunks to send, and to find each chunk again in the file.
public struct CutContent: Sendable, Hashable {
    /// The content's digest and size and its chunk digests, in order.
    public var record: ContentRecord
    /// Each chunk's length, in the order of `record.chunks`; offsets are their running sums.
    public var chunkLengths: [Int]

    /// Cuts the file at `path` in bounded memory, hashing every chunk and the whole file.
    /// - Throws: `StoreError.io` when the file cannot be read.
    public static func cut(fileAt path: String, parameters: ChunkingParameters = .standard) throws -> CutContent {
        try accumulating { try FileChunker(parameters: parameters).forEachChunk(ofFileAt: path, $0) }
    }

    /// Cuts what is left to read from an open file, as `cut(fileAt:parameters:)` does; `path` names it in
    /// errors. `sink`, when given, sees each chunk and its SHA-256 as it is cut.
    static func cut(
        fileDescriptor: Int32, path: String, parameters: ChunkingParameters = .standard, sink: (any CutChunkSink)? = nil
    ) throws -> CutContent {
        try accumulating(showingTo: sink) { try FileChunker(parameters: parameters).forEachChunk(ofFileDescriptor: fileDescriptor, path: path, $0) }
    }

    /// Cuts bytes held in memory (entries made from data, such as tables).
    public static func cut(data: Data, parameters: ChunkingParameters = .standard) -> CutContent {
        accumulating { add in data.withUnsafeBytes { FastCDC(parameters: parameters).forEachChunk(of: $0, add) } }
    }

    /// Cuts bytes held in memory as `cut(data:parameters:)` does, handing each chunk to `sink` as it is cut.
    static func cut(data: Data, parameters: ChunkingParameters = .standard, sink: any CutChunkSink) throws -> CutContent {
        try accumulating(showingTo: sink) { add in try data.withUnsafeBytes { try FastCDC(parameters: parameters).forEachChunk(of: $0, add) } }
    }

    /// The content of the chunks `feed` hands to the closure it is given, in order, each shown to `sink`.
    private static func accumulating(
        showingTo sink: (any CutChunkSink)?, _ feed: (_ add: (UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws -> CutContent {
        var cutter = Accumulator()
        try feed { chunk in
            let digest = cutter.add(chunk)
            try sink?.chunk(chunk, digest: digest, hex: cutter.digests[cutter.digests.count - 1])
        }
        return cutter.finish()
    }

    /// The content of the chunks `feed` hands to the closure it is given, in order.
    private static func accumulating(
        _ feed: (_ add: (UnsafeRawBufferPointer) -> Void) throws -> Void
    ) rethrows -> CutContent {
        var cutter = Accumulator()
        try feed { _ = cutter.add($0) }
        return cutter.finish()
    }

    /// Hashes chunks as they are cut; the content digest is the SHA-256 of all of them in order,
    /// which for a single chunk is that chunk's digest, as the store records it.
    private struct Accumulator {
        var hasher = ChunkedContentHasher()
        var digests: [String] = []
        var lengths: [Int] = []
        var size: Int64 = 0

        /// Adds the next chunk; returns its SHA-256.
        mutating func add(_ chunk: UnsafeRawBufferPointer) -> [UInt8] {
            let digest = hasher.add(chunk)
            digests.append(Hex.encode(digest))
            lengths.append(chunk.count)
            size += Int64(chunk.count)
            return digest
        }

        func finish() -> CutContent {
            // A one-chunk content's digest is its chunk's: the same string, not a second one (as the
            // ingester does), which was 11 MiB per 100,000 small files through a remote put.
            let digest = digests.count == 1 ? digests[0] : Hex.encode(hasher.contentDigest())
            return CutContent(record: ContentRecord(digest: digest, size: size, chunks: digests), chunkLengths: lengths)
        }
    }
}
