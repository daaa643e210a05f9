import ArtifactStore
import ArtifactWire
import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The upload protocol, streaming: files are read once and cut into chunks as the embedded store
/// cuts them; every batch of new chunk digests (up to `batchBytes` of chunk data) is asked about, the
/// missing chunks are packed and sent while the next batch is being cut, and the manifest is
/// committed at the end. Counts every request body byte it sends.
final class UploadClient: @unchecked Sendable {
    let server: URL
    let token: String
    let project: String
    /// Chunk bytes collected before asking which are missing (a pack is at most this, compressed).
    let batchBytes = 32 << 20
    private(set) var bytesSent: Int64 = 0
    private(set) var packBytes: Int64 = 0
    private(set) var chunksSent = 0

    init(server: URL, token: String, project: String) {
        self.server = server
        self.token = token
        self.project = project
    }

    /// One batch of chunks not asked about yet: digests in order, and their bytes.
    private struct Batch {
        var digests: [String] = []
        var chunks: [Data] = []
        var bytes = 0
    }

    func put(artifact: String, directory: URL) async throws {
        let started = ContinuousClock.now
        let paths = try Self.files(in: directory)
        let upload = try await send("POST", "uploads", body: Data(), as: UploadCreated.self).upload
        let chunker = FastCDC()
        var files: [ManifestEntry] = []
        var contents: [WireContent] = []
        var seenContents = Set<String>()
        var seenChunks = Set<String>()
        var batch = Batch()
        var inFlight: Task<Void, any Error>?
        var total: Int64 = 0

        func flush() async throws {
            guard !batch.digests.isEmpty else { return }
            let current = batch
            batch = Batch()
            var missing = Set<String>()
            for start in stride(from: 0, to: current.digests.count, by: UploadLimits.maxDigestsPerQuery) {
                let digests = Array(current.digests[start..<min(start + UploadLimits.maxDigestsPerQuery, current.digests.count)])
                let answer = try await send(
                    "POST", "chunks/missing", json: MissingChunksRequest(digests: digests, upload: upload),
                    as: MissingChunksResponse.self)
                missing.formUnion(answer.missing)
            }
            guard !missing.isEmpty else { return }
            var pack: [UInt8] = []
            pack.reserveCapacity(current.bytes / 2)
            let codec = ZstdCodec()
            for (digest, chunk) in zip(current.digests, current.chunks) where missing.contains(digest) {
                chunk.withUnsafeBytes { _ = PackRecords.append(chunk: $0, to: &pack, codec: codec) }
            }
            chunksSent += missing.count
            packBytes += Int64(pack.count)
            // One pack in flight while the next batch is cut.
            try await inFlight?.value
            let body = Data(pack)
            bytesSent += Int64(body.count)
            inFlight = Task { _ = try await self.send("PUT", "uploads/\(upload)/packs", body: body, as: PackAccepted.self) }
        }

        for (path, url) in paths {
            let data = try Data(contentsOf: url, options: .alwaysMapped)
            total += Int64(data.count)
            let digest = Hex.encode(Array(SHA256.hash(data: data)))
            files.append(ManifestEntry(path: path, digest: digest, size: Int64(data.count)))
            guard seenContents.insert(digest).inserted else { continue }
            var chunkDigests: [String] = []
            data.withUnsafeBytes { bytes in
                chunker.forEachChunk(of: bytes) { chunk in
                    let chunkDigest = Hex.encode(Array(SHA256.hash(data: chunk)))
                    chunkDigests.append(chunkDigest)
                    if seenChunks.insert(chunkDigest).inserted {
                        batch.digests.append(chunkDigest)
                        batch.chunks.append(Data(chunk))
                        batch.bytes += chunk.count
                    }
                }
            }
            contents.append(WireContent(digest: digest, size: Int64(data.count), chunks: chunkDigests))
            if batch.bytes >= batchBytes { try await flush() }
        }
        try await flush()
        try await inFlight?.value
        let commit = CommitRequest(artifact: artifact, type: "dataset", files: files, contents: contents)
        let response = try await send("POST", "uploads/\(upload)/commit", json: commit, as: CommitResponse.self)
        let seconds = (ContinuousClock.now - started).seconds
        print(ServerBenchmark.json([
            "seconds": seconds, "version": response.version.version, "created": response.created,
            "bytesSent": bytesSent, "packBytes": packBytes, "chunksSent": chunksSent, "bytes": total,
            "files": files.count,
        ]))
    }

    /// Regular files under `directory`, by artifact path, sorted as the store sorts paths.
    static func files(in directory: URL) throws -> [(String, URL)] {
        let base = directory.standardizedFileURL.path + "/"
        var found: [(String, URL)] = []
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw BenchmarkFailure("cannot read \(directory.path)")
        }
        for case let url as URL in walker where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            found.append((String(url.standardizedFileURL.path.dropFirst(base.count)), url))
        }
        return found.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
    }

    private func send<T: Decodable>(_ method: String, _ path: String, json: some Encodable, as type: T.Type) async throws -> T {
        var request = try makeRequest(method, path)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let body = try JSONEncoder().encode(json)
        bytesSent += Int64(body.count)
        return try await perform(request, body: body, as: type)
    }

    private func send<T: Decodable>(_ method: String, _ path: String, body: Data, as type: T.Type) async throws -> T {
        var request = try makeRequest(method, path)
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        return try await perform(request, body: body, as: type)
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
