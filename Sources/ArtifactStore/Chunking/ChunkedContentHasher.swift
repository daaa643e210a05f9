import Crypto

/// SHA-256 of each chunk of a content as it is cut, and of the whole content, with each byte hashed
/// as few times as the two digests allow.
///
/// SHA-256 of a content begins with the same state as SHA-256 of its first chunk (the hasher is a
/// value), so the whole content's hash goes on from the first chunk's: only the bytes after the first
/// chunk are hashed twice, and a one-chunk content (most files up to a few MiB) is hashed once.
struct ChunkedContentHasher {
    private var whole: SHA256?
    private var first: [UInt8] = []
    /// Chunks hashed so far.
    private(set) var chunkCount = 0

    /// Hashes the next chunk of the content and returns the chunk's SHA-256.
    mutating func add(_ chunk: UnsafeRawBufferPointer) -> [UInt8] {
        var chunkHash = SHA256()
        chunkHash.update(bufferPointer: chunk)
        let digest = Array(chunkHash.finalize())
        if whole == nil {
            whole = chunkHash
            first = digest
        } else {
            whole!.update(bufferPointer: chunk)
        }
        chunkCount += 1
        return digest
    }

    /// SHA-256 of every chunk added, in order: of an empty content when none was.
    func contentDigest() -> [UInt8] {
        chunkCount == 1 ? first : Array((whole ?? SHA256()).finalize())
    }
}
