import ArtifactStore
import Foundation

/// Packs made while a put is still reading, and the connections that send them into the put's upload:
/// up to `connections` packs in flight and `waitingLimit` more waiting, so the threads making packs
/// wait (and memory stays bounded) while the server is the slower side. The connections' threads start
/// with the first pack; a put that sends nothing starts none.
final class PackQueue: @unchecked Sendable {
    /// A pack of records ready to send.
    struct Pack {
        var bytes: [UInt8]
        var chunks: Int
        /// The chunks' bytes before compression, for progress.
        var rawBytes: Int64
    }

    private let session: UploadSession
    private let connections: Int
    private let waitingLimit: Int
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var waiting: [Pack] = []
    /// Buffers of packs sent, kept for the next packs (a fresh 8 MiB array is a fresh mapping to fault in).
    private var spare: [[UInt8]] = []
    private var closed = false
    private var failure: Error?
    private var outcome = ChunkUploader.Outcome()
    private var running: DispatchGroup?

    /// A queue sending through `session`'s uploader, `connections` packs at a time, with up to
    /// `waitingLimit` more made ahead.
    init(session: UploadSession, connections: Int, waitingLimit: Int) {
        self.session = session
        self.connections = max(1, connections)
        self.waitingLimit = max(1, waitingLimit)
    }

    /// An empty buffer to build the next pack in (one a sent pack left, when there is one).
    func emptyBuffer() -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        return spare.popLast() ?? []
    }

    /// Queues `pack`, waiting while `waitingLimit` packs already wait.
    /// - Throws: the error that stopped the sending, if it has stopped.
    func submit(_ pack: Pack) throws {
        condition.lock()
        defer { condition.unlock() }
        if running == nil {
            running = WorkerThreads.start(connections) { [self] _ in send() }
        }
        while waiting.count >= waitingLimit && failure == nil { condition.wait() }
        if let failure { throw failure }
        waiting.append(pack)
        condition.broadcast()
    }

    /// Waits until every pack queued is sent (or sending failed); what was sent.
    /// - Throws: the first error a connection met.
    func finish() throws -> ChunkUploader.Outcome {
        condition.lock()
        closed = true
        condition.broadcast()
        let group = running
        condition.unlock()
        group?.wait()
        condition.lock()
        defer { condition.unlock() }
        // The put goes on to commit, whose request for a large manifest is its peak of memory.
        spare = []
        if let failure { throw failure }
        return outcome
    }

    /// One connection's loop: sends queued packs until the queue is closed and empty, or one failed.
    private func send() {
        while true {
            condition.lock()
            while waiting.isEmpty && !closed && failure == nil { condition.wait() }
            guard failure == nil, !waiting.isEmpty else {
                condition.unlock()
                return
            }
            var pack = waiting.removeFirst()
            condition.broadcast()
            condition.unlock()
            do {
                try session.uploader.sendPack(pack.bytes, upload: try session.upload())
                condition.lock()
                outcome.packs += 1
                outcome.chunks += pack.chunks
                outcome.bytes += Int64(pack.bytes.count)
                pack.bytes.removeAll(keepingCapacity: true)
                if spare.count < 2 { spare.append(pack.bytes) }
                condition.unlock()
            } catch {
                condition.lock()
                if failure == nil { failure = error }
                condition.broadcast()
                condition.unlock()
                return
            }
        }
    }
}
