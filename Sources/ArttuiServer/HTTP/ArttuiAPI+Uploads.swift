import ArtifactStore
import ArtifactWire
import Foundation
import Hummingbird
import NIOCore

extension ArttuiAPI {
    static let uploadPath = "/api/v1/projects/:entity/:project/uploads/:upload"

    var uploadRoutes: [APIRoute] {
        [
            APIRoute(method: .post, path: "/api/v1/projects/:entity/:project/chunks/missing") { request, context in
                let project = try await self.project(context, needs: .write)
                let query = try await RequestBodyReader.json(MissingChunksRequest.self, from: request)
                guard query.digests.count <= ServerLimits.maxDigestsPerQuery else {
                    throw APIError(.badRequest, "the query names \(query.digests.count) digests; the limit is \(ServerLimits.maxDigestsPerQuery) per request")
                }
                let digests = try query.digests.map(Self.checkedDigest)
                var held = try await readableChunks(digests, context: context, target: project)
                if let id = query.upload {
                    let caller = try signedIn(context)
                    guard let upload = try await accounts.upload(id: id), upload.projectID == project.id,
                          upload.userID == caller.userID
                    else { throw APIError.notFound("upload \(id)") }
                    held.formUnion(try await accounts.staged(uploadID: id).chunks.map(\.digest))
                }
                return try JSONResponse.make(MissingChunksResponse(missing: digests.filter { !held.contains($0) }))
            },
            APIRoute(method: .post, path: "/api/v1/projects/:entity/:project/uploads") { _, context in
                let project = try await self.project(context, needs: .write)
                let caller = try signedIn(context)
                let id = try await accounts.createUpload(projectID: project.id, userID: caller.userID)
                return try JSONResponse.make(UploadCreated(upload: id), status: .created)
            },
            APIRoute(method: .put, path: Self.uploadPath + "/packs") { request, context in
                let (project, upload) = try await self.upload(context)
                let body = try await RequestBodyReader.bytes(request, limit: ServerLimits.maxPackBytes, what: "the pack")
                guard body.readableBytes > 0 else { throw APIError(.badRequest, "the pack is empty") }
                let key = PackRecords.newPackKey()
                let records = try await core(project) { [store] in
                    let records: [PackRecords.Record]
                    do {
                        records = try body.withUnsafeReadableBytes {
                            try PackRecords.scan($0, packKey: key, maxRawLength: ServerLimits.maxChunkBytes, codec: ZstdCodec())
                        }
                    } catch let error as StoreError {
                        throw APIError(.badRequest, "the pack is refused: \(error)")
                    }
                    let file = store.objects.stagingDirectory.appendingPathComponent("upload-\(UUID().uuidString).pack")
                    try Data(body.readableBytesView).write(to: file)
                    do {
                        try store.objects.store(key: key, movingFile: file)
                    } catch {
                        try? FileManager.default.removeItem(at: file)
                        throw error
                    }
                    return records
                }
                try await accounts.stage(
                    uploadID: upload.id, pack: ObjectInfo(key: key, size: Int64(body.readableBytes)),
                    chunks: records.map { StoredChunk(digest: $0.digest, location: $0.location) })
                return try JSONResponse.make(PackAccepted(chunks: records.count, bytes: Int64(body.readableBytes)), status: .created)
            },
            APIRoute(method: .post, path: Self.uploadPath + "/commit") { request, context in
                let (project, upload) = try await self.upload(context)
                let commit = try await RequestBodyReader.json(CommitRequest.self, from: request)
                guard commit.files.count <= ServerLimits.maxFilesPerCommit else {
                    throw APIError(.badRequest, "the commit names \(commit.files.count) files; the limit is \(ServerLimits.maxFilesPerCommit)")
                }
                let staged = try await accounts.staged(uploadID: upload.id)
                let referenced = Set(commit.contents.flatMap(\.chunks).map { $0.lowercased() })
                let stagedDigests = Set(staged.chunks.map(\.digest))
                // A chunk the upload did not send must be one the caller may read: naming a digest must
                // never be a way to obtain bytes from a project the caller cannot see.
                let elsewhere = Array(referenced.subtracting(stagedDigests)).sorted()
                let held = try await readableChunks(elsewhere, context: context, target: project)
                let missing = elsewhere.filter { !held.contains($0) }
                guard missing.isEmpty else { throw Self.missingChunks(missing) }
                let uploaded = UploadedVersion(
                    name: commit.artifact, type: commit.type, description: commit.description ?? "",
                    metadata: commit.metadata ?? [:], aliases: commit.aliases ?? [], runID: commit.run,
                    files: commit.files, contents: commit.contents.map(\.record))
                let outcome = try await core(project) { [store] in
                    try store.commit(uploaded, project: project.catalogName, stagedChunks: staged.chunks, packs: staged.packs)
                }
                switch outcome {
                case let .missingChunks(missing):
                    throw Self.missingChunks(missing.sorted())
                case let .committed(result):
                    try await accounts.finishUpload(id: upload.id, projectID: project.id, digests: Array(referenced))
                    await audit(context, project, "put", target(project, result.version))
                    return try JSONResponse.make(
                        CommitResponse(created: result.created, version: wire(result.version)),
                        status: result.created ? .created : .ok)
                }
            },
        ]
    }

    /// The project and upload named by the route; the upload must be the caller's, into that project.
    func upload(_ context: ServerRequestContext) async throws -> (ProjectRecord, UploadRecord) {
        let project = try await self.project(context, needs: .write)
        let caller = try signedIn(context)
        let id = try context.parameters.require("upload")
        guard let upload = try await accounts.upload(id: id), upload.projectID == project.id, upload.userID == caller.userID
        else { throw APIError.notFound("upload \(id)") }
        return (project, upload)
    }

    /// Which of `digests` are held by a project the caller may read (the target included).
    func readableChunks(_ digests: [String], context: ServerRequestContext, target: ProjectRecord) async throws
        -> Set<String>
    {
        guard !digests.isEmpty else { return [] }
        let readable = try await accounts.projects()
            .filter { AccessPolicy.access(context.caller, to: $0) >= .read }
            .map(\.id)
        return try await accounts.heldChunks(digests, inProjects: readable)
    }

    static func checkedDigest(_ text: String) throws -> String {
        guard text.utf8.count == 64, Hex.decode(text) != nil else {
            throw APIError(.badRequest, "\"\(text.prefix(80))\" is not a SHA-256 digest (64 hex digits)")
        }
        return text.lowercased()
    }

    static func missingChunks(_ digests: [String]) -> APIError {
        APIError(
            .conflict,
            "\(digests.count) chunks are not in the store (or not where you may read them); upload them and commit again",
            missing: digests)
    }
}
