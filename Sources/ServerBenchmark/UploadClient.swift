import ArtifactStore
import ArtifactWire
import Crypto
import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The upload protocol, streaming: files are read once and cut into chunks as the embedded store
/// cuts them, by every core; each batch of files (about `batchBytes`) has its new chunk digests asked
/// about, its missing chunks packed (about `packTarget` each) and sent, `connections` packs at a time,
/// while the next batches are being cut, and the manifest is committed at the end. Counts every
/// request body byte it sends.
final class UploadClient: @unchecked Sendable {
    let server: URL
    let token: String
    let project: String
    /// Chunk bytes collected before asking which are missing.
    let batchBytes = 32 << 20
    /// Raw bytes aimed at per pack, and packs in flight at once: as the arttui client sends them
    /// (`ChunkUploader`), so the server checks and stores several packs at once.
    let packTarget = 8 << 20
    let connections = 4
    /// Packs cut and packed ahead of those in flight, waiting for a connection: the cutting goes on
    /// while every connection waits for the server, instead of waiting for the oldest pack in flight.
    let packsAhead = 8
    /// Packs being sent: at most `connections`; a pack waiting for one holds no thread (a dispatch
    /// thread parked on a semaphore is one the cutting's `concurrentPerform` could not use).
    private let connectionSlots: AsyncSemaphore
    private(set) var bytesSent: Int64 = 0
    private(set) var packBytes: Int64 = 0
    private(set) var chunksSent = 0

    init(server: URL, token: String, project: String) {
        self.server = server
        self.token = token
        self.project = project
        connectionSlots = AsyncSemaphore(width: connections)
    }

    /// One file read and cut: its digest, and each chunk's digest and place in `data`.
    private struct ScannedFile: @unchecked Sendable {
        var path: String
        var data: Data
        var digest: String
        var chunks: [(digest: String, range: Range<Int>)]
    }

    func put(artifact: String, directory: URL) async throws {
        let started = ContinuousClock.now
        let paths = try Self.files(in: directory)
        let upload = try await send("POST", "uploads", body: [], as: UploadCreated.self).upload
        var files: [ManifestEntry] = []
        var contents: [WireContent] = []
        var seenContents = Set<String>()
        var seenChunks = Set<String>()
        var total: Int64 = 0
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        // Packs sent or waiting to be; each holds a connection only while it is sent (`connectionSlots`).
        try await withThrowingTaskGroup(of: Void.self) { uploads in
            var queued = 0
            var next = 0
            while next < paths.count {
                // A batch of whole files, about `batchBytes`, read and cut by every core at once.
                var end = next
                var size = 0
                while end < paths.count, end == next || size < batchBytes {
                    size += paths[end].size
                    end += 1
                }
                let group = Array(paths[next..<end])
                next = end
                let scanned = try Self.scan(group, workers: workers)

                // New chunks of this batch, in order, each once.
                var fresh: [(digest: String, digestBytes: [UInt8], file: Int, range: Range<Int>)] = []
                for (number, file) in scanned.enumerated() {
                    total += Int64(file.data.count)
                    files.append(ManifestEntry(path: file.path, digest: file.digest, size: Int64(file.data.count)))
                    guard seenContents.insert(file.digest).inserted else { continue }
                    contents.append(WireContent(digest: file.digest, size: Int64(file.data.count), chunks: file.chunks.map(\.digest)))
                    for chunk in file.chunks where seenChunks.insert(chunk.digest).inserted {
                        fresh.append((chunk.digest, Hex.decode(chunk.digest)!, number, chunk.range))
                    }
                }
                var missing = Set<String>()
                for start in stride(from: 0, to: fresh.count, by: UploadLimits.maxDigestsPerQuery) {
                    let digests = fresh[start..<min(start + UploadLimits.maxDigestsPerQuery, fresh.count)].map(\.digest)
                    let answer = try await send(
                        "POST", "chunks/missing", json: MissingChunksRequest(digests: digests, upload: upload),
                        as: MissingChunksResponse.self)
                    missing.formUnion(answer.missing)
                }
                let wanted = fresh.filter { missing.contains($0.digest) }
                guard !wanted.isEmpty else { continue }
                // Packs of about `packTarget` raw bytes, as the arttui client cuts them, compressed by every core.
                var groups: [[Int]] = [[]]
                var groupSize = 0
                for (index, chunk) in wanted.enumerated() {
                    if !groups[groups.count - 1].isEmpty && groupSize + chunk.range.count > packTarget {
                        groups.append([])
                        groupSize = 0
                    }
                    groups[groups.count - 1].append(index)
                    groupSize += chunk.range.count
                }
                let packGroups = groups
                var packs = [[UInt8]](repeating: [], count: packGroups.count)
                let nextPack = Atomic<Int>(0)
                packs.withUnsafeMutableBufferPointer { buffer in
                    nonisolated(unsafe) let packs = buffer
                    // One codec per core, as the local put has: a codec per pack set up zstd's contexts and
                    // output buffer again for each one.
                    DispatchQueue.concurrentPerform(iterations: min(workers, packGroups.count)) { _ in
                        let codec = ZstdCodec()
                        while true {
                            let number = nextPack.wrappingAdd(1, ordering: .relaxed).oldValue
                            guard number < packGroups.count else { return }
                            // Sized once: a record is never longer than its header and raw chunk.
                            var pack: [UInt8] = []
                            pack.reserveCapacity(packGroups[number].reduce(0) { $0 + PackRecords.headerSize + wanted[$1].range.count })
                            for index in packGroups[number] {
                                let chunk = wanted[index]
                                // Hashed when the file was cut, from the bytes packed here: not hashed again.
                                scanned[chunk.file].data.withUnsafeBytes { raw in
                                    PackRecords.append(
                                        chunk: UnsafeRawBufferPointer(rebasing: raw[chunk.range]), digest: chunk.digestBytes,
                                        to: &pack, codec: codec)
                                }
                            }
                            packs[number] = pack
                        }
                    }
                }
                chunksSent += wanted.count
                for body in packs {
                    packBytes += Int64(body.count)
                    bytesSent += Int64(body.count)
                    // Whichever pack finished first makes room: waiting for the oldest left connections idle
                    // behind a slow one.
                    if queued >= connections + packsAhead {
                        _ = try await uploads.next()
                        queued -= 1
                    }
                    uploads.addTask { try await self.sendPack(body, upload: upload) }
                    queued += 1
                }
            }
            try await uploads.waitForAll()
        }
        let commit = CommitRequest(artifact: artifact, type: "dataset", files: files, contents: contents)
        let response = try await send("POST", "uploads/\(upload)/commit", json: commit, as: CommitResponse.self)
        let seconds = (ContinuousClock.now - started).seconds
        print(ServerBenchmark.json([
            "seconds": seconds, "version": response.version.version, "created": response.created,
            "bytesSent": bytesSent, "packBytes": packBytes, "chunksSent": chunksSent, "bytes": total,
            "files": files.count,
        ]))
    }

    /// Reads and cuts `files` on `workers` threads, as the embedded store's ingester does.
    private static func scan(_ files: [(path: String, url: URL, size: Int)], workers: Int) throws -> [ScannedFile] {
        var results = [ScannedFile?](repeating: nil, count: files.count)
        let failure = Mutex<(any Error)?>(nil)
        let nextFile = Atomic<Int>(0)
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let results = buffer
            DispatchQueue.concurrentPerform(iterations: min(workers, files.count)) { _ in
                while true {
                    let index = nextFile.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < files.count else { return }
                    do {
                        let data = try Data(contentsOf: files[index].url, options: .alwaysMapped)
                        // Cut and hashed as the arttui client cuts a file (one SHA-256 pass for a one-chunk file).
                        let content = CutContent.cut(data: data)
                        var chunks: [(digest: String, range: Range<Int>)] = []
                        var offset = 0
                        for (digest, length) in zip(content.record.chunks, content.chunkLengths) {
                            chunks.append((digest, offset..<offset + length))
                            offset += length
                        }
                        results[index] = ScannedFile(
                            path: files[index].path, data: data, digest: content.record.digest, chunks: chunks)
                    } catch {
                        failure.withLock { $0 = error }
                        return
                    }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.map { $0! }
    }

    /// Regular files under `directory`, by artifact path with their sizes, sorted as the store sorts paths.
    static func files(in directory: URL) throws -> [(path: String, url: URL, size: Int)] {
        let base = directory.standardizedFileURL.path + "/"
        var found: [(path: String, url: URL, size: Int)] = []
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey]
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: keys) else {
            throw BenchmarkFailure("cannot read \(directory.path)")
        }
        for case let url as URL in walker {
            let values = try url.resourceValues(forKeys: Set(keys))
            guard values.isRegularFile == true else { continue }
            found.append((String(url.standardizedFileURL.path.dropFirst(base.count)), url, values.fileSize ?? 0))
        }
        return found.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    private func send<T: Decodable>(_ method: String, _ path: String, json: some Encodable, as type: T.Type) async throws -> T {
        var request = try makeRequest(method, path)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let body = try JSONEncoder().encode(json)
        bytesSent += Int64(body.count)
        return try await perform(request, body: body, as: type)
    }

    /// Sends a pack: over a plain socket for `http://` (see `PlainHTTPSender`), straight from the array
    /// it was built in, else through URLSession.
    private func send<T: Decodable>(_ method: String, _ path: String, body: [UInt8], as type: T.Type) async throws -> T {
        var request = try makeRequest(method, path)
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        guard let url = request.url, url.scheme == "http" else { return try await perform(request, body: Data(body), as: type) }
        let headers = request.allHTTPHeaderFields ?? [:]
        let (status, data) = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try PlainHTTPSender.send(method, url, headers: headers, body: body) })
            }
        }
        guard (200..<300).contains(status) else {
            throw BenchmarkFailure("\(method) \(url.path): \(status) \(String(decoding: data, as: UTF8.self))")
        }
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// Sends one pack once a connection is free.
    private func sendPack(_ body: [UInt8], upload: String) async throws {
        _ = try await connectionSlots.withPermit {
            try await self.send("PUT", "uploads/\(upload)/packs", body: body, as: PackAccepted.self)
        }
    }

    private func makeRequest(_ method: String, _ path: String) throws -> URLRequest {
        var request = URLRequest(url: server.appendingPathComponent("api/v1/projects/\(project)/\(path)"))
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.timeoutInterval = 600
        return request
    }

    /// Sends one request; the callers count its body in `bytesSent` (a pack's before its task starts).
    private func perform<T: Decodable>(_ request: URLRequest, body: Data, as type: T.Type) async throws -> T {
        let (data, response) = try await URLSession.shared.upload(for: request, from: body)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw BenchmarkFailure("\(request.httpMethod ?? "") \(request.url?.path ?? ""): \(status) \(String(decoding: data, as: UTF8.self))")
        }
        return try JSONDecoder().decode(T.self, from: data)
    }
}
