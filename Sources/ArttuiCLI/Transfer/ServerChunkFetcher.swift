import ArtifactStore
import ArtifactWire
import Foundation

/// Fetches a version's chunks from a team server for a restore, every record checked against its
/// digest. Small files are one chunk each: a request for one also fetches the next wanted ones in
/// the restore's order (up to `batchBytes`), which the other workers then take from memory, so a
/// folder of small files costs a few requests, not one per file. Shared by every restore worker.
final class ServerChunkFetcher: @unchecked Sendable {
    private let client: ServerClient
    private let path: String
    /// Single-chunk contents the restore will ask for, in its order, with their positions.
    private let smallOrder: [WireContent]
    private let smallPosition: [String: Int]
    private let batchBytes: Int
    private let condition = NSCondition()
    private var ready: [String: [UInt8]] = [:]
    private var readyBytes = 0
    private var inFlight = Set<String>()
    private var claimed = Set<String>()
    private var failures: [String: Error] = [:]
    /// Bytes of record payloads received, for the report.
    private(set) var receivedBytes: Int64 = 0

    /// A fetcher of `versionPath`'s chunks; `wanted` are the contents the restore will read, in order.
    init(client: ServerClient, versionPath: String, wanted: [WireContent], batchBytes: Int = 16 << 20) {
        self.client = client
        path = versionPath + "/chunks"
        var seen = Set<String>()
        smallOrder = wanted.filter { $0.chunks.count == 1 && seen.insert($0.chunks[0]).inserted }
        smallPosition = Dictionary(
            smallOrder.enumerated().map { ($0.element.chunks[0], $0.offset) }, uniquingKeysWith: { first, _ in first })
        self.batchBytes = batchBytes
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
            if inFlight.contains(digest) {
                condition.wait()
                continue
            }
            break
        }
        // This one, and the next unclaimed ones while memory holds few fetched but untaken.
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
        condition.unlock()
        var mine: [UInt8] = []
        do {
            var fetched: [(String, [UInt8])] = []
            try fetch(batch, checking: checking) { chunkDigest, chunk in
                if chunkDigest == digest && mine.isEmpty { mine = Array(chunk) } else { fetched.append((chunkDigest, Array(chunk))) }
            }
            condition.lock()
            for (chunkDigest, bytes) in fetched {
                ready[chunkDigest] = bytes
                readyBytes += bytes.count
            }
        } catch {
            condition.lock()
            for chunk in batch { failures[chunk] = error }
        }
        for chunk in batch { inFlight.remove(chunk) }
        condition.broadcast()
        let failure = failures[digest]
        condition.unlock()
        if let failure { throw failure }
        return mine
    }

    /// Asks the server for the records of `digests` and hands each decoded chunk (checked against its
    /// digest with `checking`) to `body` in order; a record naming another chunk than asked is damage.
    private func fetch(_ digests: [String], checking: Bool, _ body: (String, UnsafeRawBufferPointer) throws -> Void) throws {
        let query = try JSONEncoder().encode(ChunkRecordsRequest(digests: digests))
        let records = try client.send("POST", path, query: [], body: query, wait: .afterWork)
        condition.lock()
        receivedBytes += Int64(records.count)
        condition.unlock()
        var index = 0
        try records.withUnsafeBytes { raw in
            try PackRecords.forEachChunk(
                in: raw, maxRawLength: Int(UInt32.max), codec: ZstdCodec(), checkingEach: checking
            ) { digest, chunk in
                guard index < digests.count, digest == digests[index] else {
                    throw StoreError.corruptData(
                        what: "chunk \(digests[min(index, digests.count - 1)].prefix(12)) from the server",
                        detail: "the server sent another chunk")
                }
                index += 1
                try body(digest, chunk)
            }
        }
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
