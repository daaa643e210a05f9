import ArtifactStore
import ArtifactWire
import Foundation
import Synchronization

/// Sends a team server the chunks it lacks: asks in batches which of a version's chunks are
/// missing, packs those in the store's record format and uploads the packs over several connections
/// at once. Chunks already staged in the upload count as present, so a put run again after an
/// interruption sends only what is still missing.
struct ChunkUploader {
    /// What was sent.
    struct Outcome: Sendable {
        var chunks = 0
        var packs = 0
        var bytes: Int64 = 0
    }

    let client: ServerClient
    let project: RemoteProject
    /// Packs in flight at once.
    var connections = 4
    /// Raw bytes aimed at per pack (the server takes up to `UploadLimits.maxPackBytes`).
    var packTarget = 8 << 20

    /// Which of `digests` the server lacks (or holds only where the caller may not read), in order.
    func missing(_ digests: [String], upload: String?) throws -> [String] {
        var missing: [String] = []
        var start = 0
        while start < digests.count {
            let batch = Array(digests[start..<min(digests.count, start + UploadLimits.maxDigestsPerQuery)])
            let answer: MissingChunksResponse = try client.send(
                "POST", project.apiPath + "/chunks/missing", body: MissingChunksRequest(digests: batch, upload: upload))
            missing += answer.missing
            start += batch.count
        }
        return missing
    }

    /// Whether the caller may write to the project, asked as an empty question about chunks: the server
    /// answers nothing, or refuses in the words it refuses every write (permission denied, a token needed).
    func checkWriteAccess() throws {
        let _: MissingChunksResponse = try client.send(
            "POST", project.apiPath + "/chunks/missing", body: MissingChunksRequest(digests: [], upload: nil))
    }

    /// A new upload to stage packs in.
    func createUpload() throws -> String {
        let created: UploadCreated = try client.send("POST", project.apiPath + "/uploads", body: EmptyBody())
        return created.upload
    }

    /// Uploads one pack of records into `upload`, sent from `pack`'s memory.
    func sendPack(_ pack: [UInt8], upload: String) throws {
        try pack.withUnsafeBytes { bytes in
            // Not copied: the request is over when `send` returns, and `pack` outlives it.
            let body = Data(
                bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!),
                count: bytes.count, deallocator: .none)
            _ = try client.send(
                "PUT", project.apiPath + "/uploads/\(pathSegment(upload))/packs", query: [], body: body,
                contentType: "application/octet-stream", wait: .afterWork)
        }
    }

    /// Packs `digests` (each once) and uploads the packs into `upload`, `connections` at a time.
    /// - Parameters:
    ///   - size: each chunk's raw size (or a bound on it), to fill packs to `packTarget`.
    ///   - makeSource: a record source for each worker.
    func send(
        _ digests: [String], upload: String, size: (String) -> Int,
        makeSource: @escaping @Sendable () -> any ChunkRecordSource, progress: ProgressLine?
    ) throws -> Outcome {
        var packs: [[String]] = []
        var current: [String] = []
        var currentSize = 0
        var totalSize: Int64 = 0
        for digest in digests {
            let chunkSize = size(digest)
            if !current.isEmpty && currentSize + chunkSize > packTarget {
                packs.append(current)
                current = []
                currentSize = 0
            }
            current.append(digest)
            currentSize += chunkSize
            totalSize += Int64(chunkSize)
        }
        if !current.isEmpty { packs.append(current) }
        guard !packs.isEmpty else { return Outcome() }
        let sizes = packs.map { pack in Int64(pack.reduce(0) { $0 + size($1) }) }
        let bytesTotal = totalSize
        let next = Atomic<Int>(0)
        let state = Mutex((outcome: Outcome(), rawDone: Int64(0), failure: Error?.none))
        let packList = packs
        let uploader = self
        WorkerThreads.run(min(connections, packs.count)) { _ in
            let source = makeSource()
            var bytes: [UInt8] = []
            while state.withLock({ $0.failure == nil }) {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < packList.count else { break }
                do {
                    bytes.removeAll(keepingCapacity: true)
                    try source.appendRecords(of: packList[index], to: &bytes)
                    try uploader.sendPack(bytes, upload: upload)
                    let snapshot = state.withLock { state in
                        state.outcome.packs += 1
                        state.outcome.chunks += packList[index].count
                        state.outcome.bytes += Int64(bytes.count)
                        state.rawDone += sizes[index]
                        return state
                    }
                    progress?.update(TransferProgress(
                        filesDone: snapshot.outcome.packs, filesTotal: packList.count, bytesDone: snapshot.rawDone,
                        bytesTotal: bytesTotal))
                } catch {
                    state.withLock { if $0.failure == nil { $0.failure = error } }
                }
            }
        }
        let final = state.withLock { $0 }
        if let failure = final.failure { throw failure }
        return final.outcome
    }
}

extension ChunkUploader {
    /// Every distinct chunk of `files`, in the order the files (sorted by path) and their contents name
    /// them: packs filled in this order keep each file's chunks together, as a local put lays them
    /// out, so a later restore reads packs front to back instead of hopping between them.
    static func chunksInFileOrder(_ files: [ManifestEntry], chunksOf contents: [String: [String]]) -> [String] {
        var seen = Set<String>()
        var order: [String] = []
        for file in files.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
            for chunk in contents[file.digest] ?? [] where seen.insert(chunk).inserted { order.append(chunk) }
        }
        return order
    }
}

/// `{}`: the body of requests that need none.
struct EmptyBody: Codable {}
