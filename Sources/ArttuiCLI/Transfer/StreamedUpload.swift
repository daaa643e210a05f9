import ArtifactStore
import Foundation
import Synchronization

/// A put's upload while its files are still being read: what the reading threads' sinks
/// (`UploadingChunkSink`) share. Each distinct chunk is taken on by the first thread that reads it,
/// which alone asks whether the server lacks it and packs it if so.
final class StreamedUpload: Sendable {
    let session: UploadSession
    let packs: PackQueue
    /// Raw bytes aimed at per pack.
    let packTarget: Int
    /// A thread asks about what it read once a file ends with this many bytes waiting, or this many chunks.
    let batchBytes = 4 << 20
    let batchChunks = 4_000
    /// ... and in the middle of a file once this many bytes wait (a large file is sent as it is read).
    let batchLimit = 8 << 20
    /// Digests taken on, as 32 bytes each: a set of 100,000 hex strings would hold 100,000 heap blocks.
    private let taken = Mutex<Set<BinaryDigest>>([])

    /// An upload through `session`, packs of about `packTarget` raw bytes, `connections` at a time.
    init(session: UploadSession, packTarget: Int, connections: Int) {
        self.session = session
        self.packTarget = packTarget
        // Two packs waiting keep every connection busy when packs come from two or more threads, and
        // bound what waits in memory.
        packs = PackQueue(session: session, connections: connections, waitingLimit: 2)
    }

    /// A sink for one reading thread.
    func sink() -> any CutChunkSink { UploadingChunkSink(upload: self) }

    /// Takes the chunk whose SHA-256 is `digest` on for the calling thread: false when another thread
    /// (or an earlier file) has.
    func take(_ digest: [UInt8]) -> Bool {
        guard let key = BinaryDigest(digest) else { return true }
        return taken.withLock { $0.insert(key).inserted }
    }

    /// Whether a thread took the chunk `digest` (hex) names on: it was asked about, and sent if the
    /// server lacked it.
    func hasTaken(_ digest: String) -> Bool {
        guard let key = BinaryDigest(hex: digest) else { return false }
        return taken.withLock { $0.contains(key) }
    }
}
