import ArtifactStore
import ArtifactWire
import Foundation

/// Fetches a version's chunks from a team server for a restore, every record checked against its
/// digest. Answers are decoded as they arrive, never held whole. Small files (one chunk, or a few
/// chunks making at most `batchedContentBytes`) are fetched in batches: a request for one chunk also
/// fetches the next wanted ones in the restore's order (up to `batchBytes`), and each chunk is handed
/// to the worker waiting for it as soon as it is decoded; a worker whose chunk is on its way meanwhile
/// asks for the next batch, so a few requests run at once (the server reads one from the bucket while
/// another streams in). A folder of small files costs a few requests, not one per file: every request
/// costs the server its catalog look-ups (about 1 ms of PostgreSQL's CPU each). Fetched chunks wait
/// side by side in a few reused slabs, not in a fresh allocation each (whose page faults cost more
/// than the copy). Shared by every restore worker.
final class ServerChunkFetcher: @unchecked Sendable {
    /// One batch's chunks, side by side in one buffer, until every worker has taken its own; then the
    /// buffer serves another batch.
    private final class Slab {
        let base: UnsafeMutableRawPointer
        let capacity: Int
        var used = 0
        /// Chunks placed and not yet given back.
        var outstanding = 0
        /// Whether its batch is still arriving.
        var filling = true

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(byteCount: max(1, capacity), alignment: 16)
        }

        deinit { base.deallocate() }
    }

    /// One chunk in a slab.
    private struct SlabChunk {
        let slab: Slab
        let offset: Int
        let count: Int

        var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: slab.base + offset, count: count) }
    }

    private let client: ServerClient
    private let path: String
    /// Chunks of the small contents the restore will ask for, in its order, each once, with their positions.
    private let smallOrder: [String]
    private let smallPosition: [String: Int]
    /// The small contents, by digest.
    private let smallContents: Set<String>
    /// The bytes each chunk of `smallOrder` is expected to take, at the same position: its content's size
    /// shared out over the content's chunks (the manifest gives sizes of contents, not of chunks). An
    /// array beside the positions, not a second table keyed by digest (6 MiB per 100,000 files).
    private let smallSizes: [Int]
    /// The largest of `smallSizes`: how far a batch may run past `batchBytes`.
    private let largestSmall: Int
    private let batchBytes: Int
    /// Requests for small files' chunks at once.
    private let smallRequestLimit: Int
    private let condition = NSCondition()
    private var ready: [String: SlabChunk] = [:]
    private var readyBytes = 0
    private var inFlight = Set<String>()
    private var claimed = Set<String>()
    private var failures: [String: Error] = [:]
    /// Chunks workers are asleep waiting for, with how many wait for each: a chunk nobody waits for
    /// wakes nobody when it arrives.
    private var awaited: [String: Int] = [:]
    private var smallRequests = 0
    /// Every small chunk before this position of `smallOrder` is claimed.
    private var firstUnclaimed = 0
    /// Decoders whose buffers the next requests reuse.
    private var idleStreams: [PackRecordStream] = []
    /// Slabs whose chunks have all been taken.
    private var spareSlabs: [Slab] = []
    /// Bytes of record payloads received, for the report.
    private(set) var receivedBytes: Int64 = 0

    /// A fetcher of `versionPath`'s chunks; `wanted` are the contents the restore will read, in order.
    /// Contents of one chunk, or of several making at most `batchedContentBytes`, are fetched in batches.
    init(
        client: ServerClient, versionPath: String, wanted: [WireContent], batchBytes: Int = 8 << 20,
        smallRequestLimit: Int = 3, batchedContentBytes: Int64 = 4 << 20
    ) {
        self.client = client
        path = versionPath + "/chunks"
        let small = wanted.filter { $0.chunks.count == 1 || $0.size <= batchedContentBytes }
        var order: [String] = []
        var positions: [String: Int] = [:]
        var sizes: [Int] = []
        order.reserveCapacity(small.count)
        positions.reserveCapacity(small.count)
        sizes.reserveCapacity(small.count)
        for content in small where !content.chunks.isEmpty {
            let share = Int(content.size) / content.chunks.count
            for (index, chunk) in content.chunks.enumerated() where positions[chunk] == nil {
                positions[chunk] = order.count
                order.append(chunk)
                sizes.append(index == content.chunks.count - 1 ? Int(content.size) - share * index : share)
            }
        }
        smallOrder = order
        smallPosition = positions
        smallContents = Set(small.map(\.digest))
        smallSizes = sizes
        largestSmall = sizes.max() ?? 0
        self.batchBytes = batchBytes
        self.smallRequestLimit = max(1, smallRequestLimit)
    }

    /// Streams `content`'s chunks, in order, to `body`; with `checkingEach` each one hashed against
    /// its digest (see ``ContentChunkSource``).
    func forEachChunk(
        of content: WireContent, checkingEach: Bool, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        if smallContents.contains(content.digest) {
            for digest in content.chunks {
                let chunk = try smallChunk(digest, checking: checkingEach)
                defer { giveBack(chunk.slab) }
                try body(chunk.bytes)
            }
            return
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
    private func smallChunk(_ digest: String, checking: Bool) throws -> SlabChunk {
        condition.lock()
        while true {
            if let chunk = ready.removeValue(forKey: digest) {
                readyBytes -= chunk.count
                condition.unlock()
                return chunk
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
            awaited[digest, default: 0] += 1
            condition.wait()
            if let count = awaited[digest], count > 1 { awaited[digest] = count - 1 } else { awaited[digest] = nil }
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
        while firstUnclaimed < smallOrder.count && claimed.contains(smallOrder[firstUnclaimed]) {
            firstUnclaimed += 1
        }
        return firstUnclaimed < smallOrder.count ? smallOrder[firstUnclaimed] : nil
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
                if !claimed.contains(next) {
                    batch.append(next)
                    size += smallSizes[index]
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

    /// Fetches a claimed batch into a slab, handing each chunk but `keeping` to the waiting workers
    /// as it is decoded; returns `keeping`, or nil when it did not come (the failure is recorded for
    /// every chunk that did not).
    private func fetchSmall(_ batch: [String], keeping: String?, checking: Bool) -> SlabChunk? {
        condition.lock()
        let slab = takeSlab(holding: batch.reduce(0) { $0 + (smallPosition[$1].map { smallSizes[$0] } ?? 0) })
        condition.unlock()
        var mine: SlabChunk?
        var failure: Error?
        // The slab is sized from the manifest; a chunk that does not fit (the manifest's size was wrong,
        // and the file's digest will say so) gets a slab of its own.
        func slabHolding(_ count: Int) -> Slab { count <= slab.capacity - slab.used ? slab : Slab(capacity: count) }
        // Where the chunk being decoded was decompressed: compressed chunks go straight into a slab.
        var placed: (slab: Slab, at: UnsafeMutableRawPointer)?
        do {
            let placing = { (count: Int) -> UnsafeMutableRawPointer? in
                let target = slabHolding(count)
                placed = (target, target.base + target.used)
                return placed?.at
            }
            try fetch(batch, checking: checking, placing: placing) { chunkDigest, bytes in
                let target: Slab
                if let placed, bytes.baseAddress == UnsafeRawPointer(placed.at) {
                    target = placed.slab
                } else {
                    target = slabHolding(bytes.count)
                    if !bytes.isEmpty {
                        (target.base + target.used).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                    }
                }
                placed = nil
                let chunk = SlabChunk(slab: target, offset: target.used, count: bytes.count)
                condition.lock()
                target.used += bytes.count
                target.outstanding += 1
                if target !== slab { target.filling = false }
                if chunkDigest == keeping && mine == nil {
                    mine = chunk
                } else {
                    if let replaced = ready.updateValue(chunk, forKey: chunkDigest) { release(replaced.slab) }
                    readyBytes += chunk.count
                    inFlight.remove(chunkDigest)
                    if awaited[chunkDigest] != nil { condition.broadcast() }
                }
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
        slab.filling = false
        if slab.outstanding == 0 { recycle(slab) }
        condition.broadcast()
        condition.unlock()
        return mine
    }

    /// A slab for `size` bytes of chunks, a spare one when one is big enough; under the lock.
    private func takeSlab(holding size: Int) -> Slab {
        if let index = spareSlabs.lastIndex(where: { $0.capacity >= size }) {
            let slab = spareSlabs.remove(at: index)
            slab.used = 0
            slab.filling = true
            return slab
        }
        // The usual batch and its largest overshoot, so the slab serves every batch after it; no more
        // than 64 MiB whatever the manifest says (a chunk that does not fit gets a slab of its own).
        return Slab(capacity: min(max(size, batchBytes + 2 * largestSmall), 64 << 20))
    }

    /// A taken chunk's slab is one chunk closer to serving another batch.
    private func giveBack(_ slab: Slab) {
        condition.lock()
        release(slab)
        condition.unlock()
    }

    /// Under the lock.
    private func release(_ slab: Slab) {
        slab.outstanding -= 1
        if slab.outstanding == 0 && !slab.filling { recycle(slab) }
    }

    /// Under the lock. Spare slabs beyond what the requests at once can use are freed.
    private func recycle(_ slab: Slab) {
        if spareSlabs.count < smallRequestLimit + 1 { spareSlabs.append(slab) }
    }

    /// Asks the server for the records of `digests` and hands each decoded chunk (checked against its
    /// digest with `checking`) to `body` in order, as the answer arrives; a record naming another
    /// chunk than asked is damage. Compressed chunks are decompressed where `placing` says.
    private func fetch(
        _ digests: [String], checking: Bool, placing: ((Int) -> UnsafeMutableRawPointer?)? = nil,
        _ body: (String, UnsafeRawBufferPointer) throws -> Void
    ) throws {
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
            try stream.consume(piece, placing: placing) { digest, chunk in
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
    private let contents: ContentsByDigest

    init(fetcher: ServerChunkFetcher, contents: ContentsByDigest) {
        self.fetcher = fetcher
        self.contents = contents
    }

    func forEachChunk(
        ofContent digest: String, checkingEach: Bool, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard let content = contents[digest: digest] else {
            throw StoreError.corruptData(what: "content \(digest.prefix(12))", detail: "the server's manifest does not list its chunks")
        }
        try fetcher.forEachChunk(of: content, checkingEach: checkingEach, body)
    }
}
