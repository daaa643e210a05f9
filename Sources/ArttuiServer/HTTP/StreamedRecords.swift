import ArtifactStore
import NIOCore

/// The answer to a records request (`POST …/chunks`), sent while it is read.
///
/// The records are cut into windows of `windowBytes` (`StoredRecordReader.windows`); each is read from
/// the packs on a blocking-call thread while the one before it goes out, so the bucket, this process
/// and the client work at once instead of the client waiting for the whole answer to be read and
/// unsealed. At most two windows are held per request, in buffers small enough to come from the
/// allocator's heap rather than a fresh mapping faulted in page by page. No thread waits for a slow
/// client: a window is read only once the one before it is being written.
enum StreamedRecords {
    /// Bytes of one window: under the server's 1 MiB mmap threshold (`MemoryTuning`).
    static let windowBytes = 512 << 10

    /// Reads window `index` into a new buffer.
    typealias WindowReader = @Sendable (_ index: Int) async throws -> ByteBuffer

    /// Hands windows `0..<count` to `write` in order. Window 0 is `first` (read before the answer
    /// started, so that a pack that cannot be read is a problem answer rather than a cut one); each
    /// later one is read by `read` while the one before it is written.
    /// - Throws: what `read` or `write` threw; a read under way when `write` fails is abandoned.
    static func send(
        first: ByteBuffer, count: Int, read: @escaping WindowReader, write: (ByteBuffer) async throws -> Void
    ) async throws {
        var current = first
        for index in 0..<count {
            let next: Task<ByteBuffer, any Error>? = index + 1 < count ? Task { try await read(index + 1) } : nil
            do {
                try await write(current)
            } catch {
                next?.cancel()
                throw error
            }
            guard let next else { break }
            current = try await next.value
        }
    }

    /// Reads `window` from `store`'s packs into a buffer of exactly its bytes, on a blocking-call thread.
    static func read(_ window: [RecordSpan], from store: Store) async throws -> ByteBuffer {
        try await offload {
            let length = StoredRecordReader.byteCount(of: window)
            var buffer = ByteBufferAllocator().buffer(capacity: length)
            try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { free in
                try StoredRecordReader(objects: store.objects).read(
                    window, into: UnsafeMutableRawBufferPointer(rebasing: free[0..<length]))
                return length
            }
            return buffer
        }
    }
}
