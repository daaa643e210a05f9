import ArtifactStore
import ArtifactWire
import Foundation

/// Fetches a version's chunks from a team server for a restore, every record checked against its
/// digest. Answers are decoded as they arrive, never held whole. Small files are one chunk each: a
/// request for one also fetches the next wanted ones in the restore's order (up to `batchBytes`),
/// and each chunk is handed to the worker waiting for it as soon as it is decoded; a worker whose
/// chunk is on its way meanwhile asks for the next batch, so a few requests run at once (the server
/// reads one from the bucket while another streams in). A folder of small files costs a few
/// requests, not one per file. Shared by every restore worker.
final class ServerChunkFetcher: @unchecked Sendable {
    private let client: ServerClient
    private let path: String
    /// Single-chunk contents the restore will ask for, in its order, with their positions.
    private let smallOrder: [WireContent]
    private let smallPosition: [String: Int]
    private let batchBytes: Int
    /// Requests for small files' chunks at once.
    private let smallRequestLimit: Int
    private let condition = NSCondition()
    private var ready: [String: [UInt8]] = [:]
    private var readyBytes = 0
    private var inFlight = Set<String>()
    private var claimed = Set<String>()
    private var failures: [String: Error] = [:]
    private var smallRequests = 0
    /// Every small chunk before this position of `smallOrder` is claimed.
    private var firstUnclaimed = 0
    /// Decoders whose buffers the next requests reuse.
    private var idleStreams: [PackRecordStream] = []
    /// Bytes of record payloads received, for the report.
    private(set) var receivedBytes: Int64 = 0

    /// A fetcher of `versionPath`'s chunks; `wanted` are the contents the restore will read, in order.
    init(
        client: ServerClient, versionPath: String, wanted: [WireContent], batchBytes: Int = 8 << 20,
        smallRequestLimit: Int = 3
    ) {
        self.client = client
        path = versionPath + "/chunks"
        var seen = Set<String>()
        smallOrder = wanted.filter { $0.chunks.count == 1 && seen.insert($0.chunks[0]).inserted }
        smallPosition = Dictionary(
            smallOrder.enumerated().map { ($0.element.chunks[0], $0.offset) }, uniquingKeysWith: { first, _ in first })
        self.batchBytes = batchBytes
        self.smallRequestLimit = max(1, smallRequestLimit)
    }

    /// Streams `content`'s chunks, in order, to `body`; with `checkingEach` each one hashed against
    /// its digest (see ``ContentChunkSource``).
    func forEachChunk(
        of content: WireContent, checkingEach: Bool, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        if content.chunks.count == 1, smallPosition[content.chunks[0]] != nil {
            let bytes = try smallChunk(content.chunks[0], checking: checkingEach)
            return try bytes.withUnsafeBytes { try body($0) }
        }
        // A big file: its own requests, 8 chunks (at most 4 MiB each) at a time: every request opens
        // the packs it reads anew on the server, so fewer, larger requests cost it less.
        var start = 0
        while start < content.chunks.count {
            let batch = Array(content.chunks[start..<min(content.chunks.count, start + 8)])
            try fetch(batch, checking: checkingEach) { _, chunk in try body(chunk) }
            start += batch.count
        }
    }

    /// A single-chunk content's bytes, fetched with the next wanted ones. Prefetched chunks are
    /// checked as `checking` says for this request (the ones a worker takes are checked by its
    /// file's digest all the same).
    private func smallChunk(_ digest: String, checking: Bool) throws -> [UInt8] {
        condition.lock()
        while true {
            if let bytes = ready.removeValue(forKey: digest) {
                readyBytes -= bytes.count
                condition.unlock()
                return bytes
            }
            if let failure = failures[digest] {
                condition.unlock()
                throw failure
            }
            guard inFlight.contains(digest) else { break }
            // Ours is on its way: ask for the next batch meanwhile, if few requests run and few
            // fetched chunks wait in memory.
            if smallRequests < smallRequestLimit && readyBytes < 2 * batchBytes, let next = nextUnclaimed() {
                let batch = claimBatch(from: next)
                condition.unlock()
                _ = fetchSmall(batch, keeping: nil, checking: false)
                condition.lock()
                continue
            }
            condition.wait()
        }
        let batch = claimBatch(from: digest)
        condition.unlock()
        if let mine = fetchSmall(batch, keeping: digest, checking: checking) { return mine }
        condition.lock()
        let failure = failures[digest]
        condition.unlock()
        throw failure ?? StoreError.corruptData(what: "chunk \(digest.prefix(12)) from the server", detail: "it did not come")
    }

    /// The first small chunk nobody has claimed; under the lock.
    private func nextUnclaimed() -> String? {
        while firstUnclaimed < smallOrder.count && claimed.contains(smallOrder[firstUnclaimed].chunks[0]) {
            firstUnclaimed += 1
        }
        return firstUnclaimed < smallOrder.count ? smallOrder[firstUnclaimed].chunks[0] : nil
    }

    /// `digest` and the next unclaimed ones after it, up to `batchBytes`, claimed and counted as a
    /// request in flight; under the lock.
    private func claimBatch(from digest: String) -> [String] {
        var batch = [digest]
        var size = 0
        if readyBytes < 2 * batchBytes, let position = smallPosition[digest] {
            var index = position + 1
            while index < smallOrder.count && size < batchBytes && batch.count < 512 {
                let next = smallOrder[index]
                if !claimed.contains(next.chunks[0]) {
                    batch.append(next.chunks[0])
                    size += Int(next.size)
                }
                index += 1
            }
        }
        for chunk in batch {
            claimed.insert(chunk)
            inFlight.insert(chunk)
        }
        smallRequests += 1
        return batch
    }

    /// Fetches a claimed batch, handing each chunk but `keeping` to the waiting workers as it is
    /// decoded; returns `keeping`'s bytes, or nil when they did not come (the failure is recorded
    /// for every chunk that did not).
    private func fetchSmall(_ batch: [String], keeping: String?, checking: Bool) -> [UInt8]? {
        var mine: [UInt8]?
        var failure: Error?
        do {
            try fetch(batch, checking: checking) { chunkDigest, chunk in
                let bytes = Array(chunk)
                if chunkDigest == keeping && mine == nil {
                    mine = bytes
                    return
                }
                condition.lock()
                ready[chunkDigest] = bytes
                readyBytes += bytes.count
                inFlight.remove(chunkDigest)
                condition.broadcast()
                condition.unlock()
            }
        } catch {
            failure = error
        }
        condition.lock()
        for chunk in batch where inFlight.remove(chunk) != nil {
            if let failure, !(chunk == keeping && mine != nil) { failures[chunk] = failure }
        }
        smallRequests -= 1
        condition.broadcast()
        condition.unlock()
        return mine
    }

    /// Asks the server for the records of `digests` and hands each decoded chunk (checked against its
    /// digest with `checking`) to `body` in order, as the answer arrives; a record naming another
    /// chunk than asked is damage.
    private func fetch(_ digests: [String], checking: Bool, _ body: (String, UnsafeRawBufferPointer) throws -> Void) throws {
        let query = try JSONEncoder().encode(ChunkRecordsRequest(digests: digests))
        condition.lock()
        var stream = idleStreams.popLast() ?? PackRecordStream(maxRawLength: Int(UInt32.max), codec: ZstdCodec(), checkingEach: checking)
        condition.unlock()
        stream.checkingEach = checking
        var index = 0
        var received = 0
        defer {
            stream.reset()
            condition.lock()
            idleStreams.append(stream)
            receivedBytes += Int64(received)
            condition.unlock()
        }
        try client.send("POST", path, body: query, wait: .afterWork) { piece in
            received += piece.count
            try stream.consume(piece) { digest, chunk in
                guard index < digests.count, digest == digests[index] else {
                    throw StoreError.corruptData(
                        what: "chunk \(digests[min(index, digests.count - 1)].prefix(12)) from the server",
                        detail: "the server sent another chunk")
                }
                index += 1
                try body(digest, chunk)
            }
        }
        try stream.finish()
        guard index == digests.count else {
            throw StoreError.corruptData(
                what: "chunk \(digests[index].prefix(12)) from the server", detail: "the server's answer is cut short")
        }
    }
}

/// One restore worker's view of a `ServerChunkFetcher`.
final class ServerContentSource: ContentChunkSource {
    private let fetcher: ServerChunkFetcher
    private let contents: [String: WireContent]

    init(fetcher: ServerChunkFetcher, contents: [String: WireContent]) {
        self.fetcher = fetcher
        self.contents = contents
    }

    func forEachChunk(
        ofContent digest: String, checkingEach: Bool, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard let content = contents[digest] else {
            throw StoreError.corruptData(what: "content \(digest.prefix(12))", detail: "the server's manifest does not list its chunks")
        }
        try fetcher.forEachChunk(of: content, checkingEach: checkingEach, body)
    }
}
