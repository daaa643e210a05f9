import ArtifactStore
import ArtifactWire
import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// What a commit did, decided while the upload's lock is held.
enum CommitOutcome: Sendable {
    case missing([String])
    /// Chunks the holdings table still names but the store no longer has (a deletion freed them).
    case gone([String])
    case pending(ArtifactVersion)
    case committed(LogResult)
}

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
                // Received into reused memory: the Data gives it back when the last of it is gone.
                let pack = try await RequestBodyReader.pack(request, limit: ServerLimits.maxPackBytes)
                guard !pack.isEmpty else { throw APIError(.badRequest, "the pack is empty") }
                let staged = try await core(project) { [store] in
                    do {
                        return try store.stage(pack: pack, maxRawLength: ServerLimits.maxChunkBytes)
                    } catch let error as StoreError {
                        guard case .corruptData = error else { throw error }
                        throw APIError(.badRequest, "the pack is refused: \(error)")
                    }
                }
                try await accounts.stage(uploadID: upload.id, pack: staged.pack, chunks: staged.chunks)
                MetricsRecorder.shared.recordUpload(chunks: staged.chunks.count, bytes: staged.pack.size)
                return try JSONResponse.make(PackAccepted(chunks: staged.chunks.count, bytes: Int64(pack.count)), status: .created)
            },
            APIRoute(method: .put, path: Self.uploadPath + "/parts/:part") { request, context in
                let (project, upload) = try await self.upload(context)
                let number = try Self.partNumber(context.parameters.require("part"))
                let part = try await RequestBodyReader.json(CommitPart.self, from: request, limit: ServerLimits.maxCommitJSONBytes)
                do {
                    guard part.files.count <= ServerLimits.maxFilesPerCommit else {
                        throw APIError(.badRequest, "part \(number) names \(part.files.count) files; the limit is \(ServerLimits.maxFilesPerCommit) per part")
                    }
                    do {
                        try Store.checkManifest(files: part.files, contents: part.contents.map(\.record))
                    } catch {
                        throw APIError.from(error, project: project)
                    }
                } catch let error as APIError {
                    // As a refused commit: the version can never be made of this part, so what was staged for it goes.
                    await discardRefusedUpload(upload.id)
                    throw error
                }
                try await accounts.stagePart(uploadID: upload.id, part: number, body: try JSONEncoder().encode(part))
                return try JSONResponse.make(PartAccepted(part: number, files: part.files.count), status: .created)
            },
            APIRoute(method: .post, path: Self.uploadPath + "/commit") { request, context in
                let (project, upload) = try await self.upload(context)
                let sent = try await RequestBodyReader.json(
                    CommitRequest.self, from: request, limit: ServerLimits.maxCommitJSONBytes)
                guard sent.files.count <= ServerLimits.maxFilesPerCommit else {
                    throw APIError(.badRequest, "the commit names \(sent.files.count) files; the limit is \(ServerLimits.maxFilesPerCommit) per request (send more in parts)")
                }
                let count = try Self.partCount(of: sent)
                if count > 0, sent.distributedID == nil {
                    return try await commitInParts(sent, count: count, project: project, upload: upload, context: context)
                }
                let commit = try await joiningParts(of: sent, count: count, upload: upload)
                let referenced = Self.referencedChunks(commit.contents)
                // A chunk the upload did not send must be one the caller may read: naming a digest must
                // never be a way to obtain bytes from a project the caller cannot see. Checked before the
                // upload's lock is taken, so the commit holds one database connection at a time.
                let stagedBefore = Set(try await accounts.staged(uploadID: upload.id).chunks.map(\.digest))
                let readable = try await readableChunks(
                    Array(referenced.subtracting(stagedBefore)).sorted(), context: context, target: project)
                let uploaded = commit.uploadedVersion
                let outcome: CommitOutcome
                do {
                    outcome = try await accounts.committing(uploadID: upload.id, projectID: project.id) { [store] locked in
                        let staged = try await locked.staged()
                        // Expiry may have removed what was staged before the lock: those chunks are missing now.
                        let missing = referenced.subtracting(staged.chunks.map(\.digest)).subtracting(readable)
                        guard missing.isEmpty else { return (CommitOutcome.missing(missing.sorted()), nil) }
                        do {
                            if let distributedID = commit.distributedID {
                                switch try await offload({
                                    try store.upsert(
                                        uploaded, project: project.catalogName, distributedID: distributedID,
                                        stagedChunks: staged.chunks, packs: staged.packs)
                                }) {
                                case let .missingChunks(missing): return (.gone(missing.sorted()), nil)
                                case let .added(version, _): return (.pending(version), Array(referenced))
                                }
                            }
                            switch try await offload({
                                try store.commit(uploaded, project: project.catalogName, stagedChunks: staged.chunks, packs: staged.packs)
                            }) {
                            case let .missingChunks(missing): return (.gone(missing.sorted()), nil)
                            case let .committed(result): return (.committed(result), Array(referenced))
                            }
                        } catch {
                            throw APIError.from(error, project: project)
                        }
                    }
                } catch let error as APIError where (400..<500).contains(error.status.code) {
                    // Refused for what it is, not for an outage: the same commit will be refused again.
                    await discardRefusedUpload(upload.id)
                    throw error
                }
                return try await respond(to: outcome, of: commit, project: project, context: context)
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

    /// How many parts were sent before `commit` (`CommitRequest.parts`, 0 when it names none).
    /// - Throws: 400 for a count below 0 or past the limit.
    static func partCount(of commit: CommitRequest) throws -> Int {
        let count = commit.parts ?? 0
        guard count >= 0 else { throw APIError(.badRequest, "parts must be 0 or more, got \(count)") }
        guard count <= ServerLimits.maxPartsPerCommit else {
            throw APIError(.badRequest, "the commit names \(count) parts; the limit is \(ServerLimits.maxPartsPerCommit)")
        }
        return count
    }

    /// `commit` with the files of the `count` parts sent before it, read one at a time: what an upsert
    /// into a pending version takes whole (a commit reads them as it records them, `commitInParts`).
    /// - Throws: 409 naming the first part the upload lacks.
    func joiningParts(of commit: CommitRequest, count: Int, upload: UploadRecord) async throws -> CommitRequest {
        guard count > 0 else { return commit }
        var parts: [CommitPart] = []
        parts.reserveCapacity(count)
        for number in 0..<count {
            guard let body = try await accounts.part(uploadID: upload.id, part: number) else {
                throw UploadedPartsShortfall.partNotSent(number, of: count, upload: upload.id).problem
            }
            parts.append(try JSONDecoder().decode(CommitPart.self, from: body))
        }
        return commit.joining(parts)
    }

    /// The answer to a commit, once decided.
    func respond(
        to outcome: CommitOutcome, of commit: CommitRequest, project: ProjectRecord, context: ServerRequestContext
    ) async throws -> Response {
        switch outcome {
        case let .missing(digests):
            throw Self.missingChunks(digests)
        case let .gone(digests):
            // Without this, "which chunks do you lack" would keep answering "none" for them, and
            // every retry of the upload would be refused the same way.
            try await accounts.forgetHeldChunks(digests)
            throw Self.missingChunks(digests)
        case let .pending(version):
            await audit(context, project, "upsert", "\(project.path)/\(version.name) \(commit.distributedID ?? "")")
            return try JSONResponse.make(CommitResponse(created: true, version: wire(version)), status: .ok)
        case let .committed(result):
            await audit(context, project, "put", target(project, result.version))
            return try JSONResponse.make(
                CommitResponse(created: result.created, version: wire(result.version)),
                status: result.created ? .created : .ok)
        }
    }

    /// Commits a version whose files came in `count` parts before `sent` (which holds the last of
    /// them), reading the parts from the upload one at a time under its lock, so that the server never
    /// holds the whole version: the same checks, outcomes and answers as a commit in one request.
    func commitInParts(
        _ sent: CommitRequest, count: Int, project: ProjectRecord, upload: UploadRecord, context: ServerRequestContext
    ) async throws -> Response {
        // A chunk the upload did not send must be one the caller may read, as for a commit in one request.
        let readableProjects = try await readableProjectIDs(context)
        let uploaded = sent.uploadedVersion
        let referenced = Self.referencedChunks(sent.contents)
        let outcome: CommitOutcome
        do {
            outcome = try await accounts.committing(uploadID: upload.id, projectID: project.id, parts: count) { [store] locked in
                let staged = try await locked.stagedChunks(among: Array(referenced))
                let others = referenced.subtracting(staged.map(\.digest))
                let readable = try await locked.heldChunks(Array(others), inProjects: readableProjects)
                let parts = UploadedParts(
                    upload: locked, count: count, readableProjects: readableProjects,
                    missingFromLast: others.subtracting(readable))
                let packs = try await locked.packs()
                do {
                    switch try await offload({
                        try store.commit(
                            uploaded, after: parts.batches, project: project.catalogName, stagedChunks: staged, packs: packs)
                    }) {
                    case let .missingChunks(missing): return (.gone(missing.sorted()), nil)
                    case let .committed(result): return (.committed(result), Array(referenced))
                    }
                } catch let shortfall as UploadedPartsShortfall {
                    throw shortfall
                } catch {
                    throw APIError.from(error, project: project)
                }
            }
        } catch let shortfall as UploadedPartsShortfall {
            // Nothing is wrong with what was sent, only incomplete: the upload stays for the client to complete.
            throw shortfall.problem
        } catch let error as APIError where (400..<500).contains(error.status.code) {
            // Refused for what it is, not for an outage: the same commit will be refused again.
            await discardRefusedUpload(upload.id)
            throw error
        }
        return try await respond(to: outcome, of: sent, project: project, context: context)
    }

    /// A part number from the path: a whole number below `ServerLimits.maxPartsPerCommit`.
    static func partNumber(_ text: String) throws -> Int {
        guard let number = Int(text), number >= 0, number < ServerLimits.maxPartsPerCommit, String(number) == text else {
            throw APIError(.badRequest, "part \"\(text.prefix(40))\" is not a part number: a whole number from 0 to \(ServerLimits.maxPartsPerCommit - 1)")
        }
        return number
    }

    /// Which of `digests` are held by a project the caller may read (the target included).
    func readableChunks(_ digests: [String], context: ServerRequestContext, target: ProjectRecord) async throws
        -> Set<String>
    {
        guard !digests.isEmpty else { return [] }
        return try await accounts.heldChunks(digests, inProjects: try await readableProjectIDs(context))
    }

    /// The projects whose chunks the caller may name in a commit: those it may read.
    func readableProjectIDs(_ context: ServerRequestContext) async throws -> [Int64] {
        try await accounts.projects().filter { AccessPolicy.access(context.caller, to: $0) >= .read }.map(\.id)
    }

    /// The chunks `contents` name, in lower case: what a commit or a part of one relies on.
    static func referencedChunks(_ contents: [WireContent]) -> Set<String> {
        Set(contents.flatMap(\.chunks).map { $0.lowercased() })
    }

    /// The digests `checkedDigest` accepts, as the OpenAPI document states them.
    static let digestPattern = "^[0-9a-fA-F]{64}$"

    /// `text` as a SHA-256 digest (64 hex digits, either case), in lower case.
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
