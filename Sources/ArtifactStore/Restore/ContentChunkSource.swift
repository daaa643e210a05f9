import Foundation

/// Where a restore reads a content's chunks: the store's packs, or a team server.
///
/// Each restore worker has its own source, so a source need not be thread-safe.
public protocol ContentChunkSource: AnyObject {
    /// Streams the chunks of the content `digest` to `body`, in order.
    ///
    /// With `checkingEach` every chunk's bytes are hashed against its digest; without, only what
    /// costs no hashing is checked (lengths, the record naming the chunk asked for): a restore checks
    /// the whole file's digest anyway, and reads the chunks again, checked, only to name the damaged
    /// one once a file does not match.
    /// - Throws: `StoreError.corruptData` naming the chunk when its bytes are missing or damaged (the
    ///   file is reported damaged and the others go on); any other error stops the restore.
    func forEachChunk(
        ofContent digest: String, checkingEach: Bool, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws
}

/// The store's packs as a chunk source, through a catalog's chunk lists.
final class StoredChunkSource: ContentChunkSource {
    private let reader: ChunkReader
    private let chunkList: (String) throws -> [StoredChunk]?

    init(reader: ChunkReader, chunkList: @escaping (String) throws -> [StoredChunk]?) {
        self.reader = reader
        self.chunkList = chunkList
    }

    func forEachChunk(
        ofContent digest: String, checkingEach: Bool, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try reader.forEachChunk(ofContent: digest, chunks: try chunkList(digest), checkingEach: checkingEach, body)
    }
}
