import ArtifactStore
import ArtifactWire
import Foundation
import Hummingbird
import NIOCore

extension ArttuiAPI {
    static let versionPath = "/api/v1/projects/:entity/:project/artifacts/:artifact/versions/:version"

    var versionRoutes: [APIRoute] {
        [
            APIRoute(method: .get, path: "/api/v1/projects/:entity/:project/artifacts/:artifact/versions") { request, context in
                // Pending versions are work in progress of the project's writers (`put --upsert`): a
                // reader sees a version only once it is finished, so listing them needs write access.
                let includePending = try queryBoolean(request, "include_pending")
                let project = try await self.project(context, needs: .read)
                if includePending, AccessPolicy.access(context.caller, to: project) < .write {
                    guard context.caller != nil else { throw APIError.tokenRequired }
                    throw APIError(.forbidden, "only those who may write to project \(project.path) see its pending versions")
                }
                let name = try context.parameters.require("artifact")
                let offset = try queryInteger(request, "offset", default: 0, range: 0...Int(Int32.max))
                let limit = try queryInteger(request, "limit", default: 100, range: 1...ServerLimits.maxPageSize)
                let states: Set<VersionState> = includePending ? [.committed, .pending] : [.committed]
                let (versions, total) = try await catalogRead(project) { reads in
                    do {
                        return try await reads.versionPage(
                            project: project.catalogName, name: name, states: states, offset: offset, limit: limit)
                    } catch StoreError.projectNotFound {
                        // The catalog knows a project from its first version; created but empty, it has none.
                        throw StoreError.artifactNotFound(project: project.catalogName, name: name)
                    }
                }
                return try JSONResponse.make(WireVersionPage(
                    versions: versions.map { wire($0) }, total: total, offset: offset, limit: limit))
            },
            APIRoute(method: .get, path: Self.versionPath) { _, context in
                let (_, version) = try await self.version(context, needs: .read)
                return try JSONResponse.make(wire(version))
            },
            APIRoute(method: .patch, path: Self.versionPath) { request, context in
                let (project, version) = try await self.version(context, needs: .write)
                let change = try await RequestBodyReader.json(WireVersionChange.self, from: request)
                let updated = try await core(project) { [store] in
                    guard let aliases = change.aliases else {
                        try store.update(version, description: change.description, metadata: change.metadata)
                        return try store.version(id: version.id)
                    }
                    // All three through one save, as the command line's edit does: checked before anything changes.
                    let artifact = try store.artifact(version.qualifiedName)
                    if let description = change.description { artifact.description = description }
                    if let metadata = change.metadata { artifact.metadata = metadata }
                    artifact.aliases = version.aliases.filter { $0 == Alias.latest } + aliases
                    try artifact.save()
                    return artifact.version
                }
                await audit(context, project, "version.edit", target(project, updated))
                return try JSONResponse.make(wire(updated))
            },
            APIRoute(method: .delete, path: Self.versionPath) { request, context in
                let deleteAliases = try queryBoolean(request, "delete_aliases")
                let (project, version) = try await self.version(context, needs: .write)
                let plan = try await core(project) { [store] in try store.delete([version], deleteAliases: deleteAliases) }
                await audit(context, project, "version.delete", target(project, version))
                logPacksLeft(plan, context)
                return try JSONResponse.make(shape(plan, deleted: true))
            },
            APIRoute(method: .get, path: Self.versionPath + "/deletion-plan") { _, context in
                let (project, version) = try await self.version(context, needs: .read)
                let plan = try await core(project) { [store] in try store.deletionPlan([version]) }
                return try JSONResponse.make(shape(plan, deleted: false))
            },
            APIRoute(method: .get, path: Self.versionPath + "/manifest") { request, context in
                let (project, version) = try await self.version(context, needs: .read)
                // Without `limit`, every file in one answer (as before pages existed); with it, a page of
                // files by path and only the contents they name, so no answer grows with the version.
                // `after` (the last path of the page before) costs the catalog the same on every page;
                // `offset` walks every file before it.
                let paged = request.uri.queryParameters.get("limit") != nil
                let offset = try queryInteger(request, "offset", default: 0, range: 0...Int(Int32.max))
                let limit = try queryInteger(request, "limit", default: .max, range: 1...ServerLimits.maxManifestPage)
                let after: String? = request.uri.queryParameters.get("after").map { String($0) }
                let (files, chunks) = try await core(project) { [store] in
                    let files = try store.catalog.manifest(versionID: version.id, after: after, offset: offset, limit: limit)
                    guard paged else { return (files, try store.catalog.chunkLocations(versionID: version.id)) }
                    return (files, try store.catalog.chunkLocations(contentDigests: files.filter(\.isStored).map(\.digest)))
                }
                var manifest = WireManifest(version: wire(version), files: files, chunkLists: chunks)
                if paged { manifest.offset = offset }
                return try JSONResponse.make(manifest)
            },
            APIRoute(method: .get, path: Self.versionPath + "/chunks/:digest") { _, context in
                let (project, version) = try await self.version(context, needs: .read)
                let digest = try Self.checkedDigest(context.parameters.require("digest"))
                let bytes = try await core(project) { [store] in
                    guard let chunk = try store.catalog.chunkLocations(versionID: version.id, chunkDigests: [digest])[digest]
                    else {
                        throw APIError.notFound("chunk \(digest) in \(project.path)/\(version.name):\(version.versionName)")
                    }
                    return try PackRecords.read(chunk, from: store.objects, codec: ZstdCodec())
                }
                return octets(bytes)
            },
            APIRoute(method: .post, path: Self.versionPath + "/chunks") { request, context in
                let (project, version) = try await self.version(context, needs: .read)
                let query = try await RequestBodyReader.json(ChunkRecordsRequest.self, from: request)
                guard query.digests.count <= ChunkRecordsRequest.maxDigests else {
                    throw APIError(.badRequest, "the query names \(query.digests.count) digests; the limit is \(ChunkRecordsRequest.maxDigests) per request")
                }
                let digests = try query.digests.map(Self.checkedDigest)
                let chunks = try await core(project) { [store] in
                    let held = try store.catalog.chunkLocations(versionID: version.id, chunkDigests: digests)
                    var size: Int64 = 0
                    let chunks = try digests.map { digest in
                        guard let chunk = held[digest] else {
                            throw APIError.notFound("chunk \(digest) in \(project.path)/\(version.name):\(version.versionName)")
                        }
                        size += chunk.location.storedLength
                        return chunk
                    }
                    guard size <= Int64(ServerLimits.maxPackBytes) else {
                        throw APIError(.badRequest, "the records asked for come to \(size) bytes; the limit is \(ServerLimits.maxPackBytes) per request")
                    }
                    return chunks
                }
                // Sent while read, window by window (nearby records of a pack in one ranged GET, only
                // their segments unsealed, each byte copied once into its window's buffer). The first
                // window is read before the answer starts: a pack that cannot be read is then a
                // problem answer; a later failure can only cut the answer short, which the client
                // reports as such for the chunk it was reading.
                let windows = StoredRecordReader.windows(
                    of: chunks, windowBytes: StreamedRecords.windowBytes, alignment: Int64(SealedObjectFormat.segmentSize))
                let length = StoredRecordReader.recordBytes(of: chunks)
                let first: ByteBuffer
                do {
                    first = try await StreamedRecords.read(windows.first ?? [], from: store)
                } catch {
                    throw APIError.from(error, project: project)
                }
                MetricsRecorder.shared.recordRecordsSent(bytes: Int64(length))
                var headers = HTTPFields()
                headers[.contentType] = "application/octet-stream"
                headers[.contentLength] = "\(length)"
                let body = ResponseBody(contentLength: length) { [store] writer in
                    try await StreamedRecords.send(
                        first: first, count: max(1, windows.count),
                        read: { index in try await StreamedRecords.read(windows[index], from: store) },
                        write: { try await writer.write($0) })
                    try await writer.finish(nil)
                }
                return Response(status: .ok, headers: headers, body: body)
            },
            APIRoute(method: .get, path: Self.versionPath + "/contents/:digest") { _, context in
                let (project, version) = try await self.version(context, needs: .read)
                let digest = try Self.checkedDigest(context.parameters.require("digest"))
                let data = try await core(project) { [store] in
                    let files = try store.catalog.manifest(versionID: version.id, offset: 0, limit: .max)
                    guard let file = files.first(where: { $0.digest == digest }) else {
                        throw APIError.notFound("content \(digest) in \(project.path)/\(version.name):\(version.versionName)")
                    }
                    return try store.contents(of: file, in: version)
                }
                return octets(Array(data))
            },
            APIRoute(method: .put, path: Self.versionPath + "/aliases/:alias") { _, context in
                let (project, version) = try await self.version(context, needs: .write)
                let alias = try context.parameters.require("alias")
                let updated = try await core(project) { [store] in
                    try store.addAlias(alias, to: version)
                    return try store.version(id: version.id)
                }
                await audit(context, project, "alias.add", "\(target(project, version)) \(alias)")
                return try JSONResponse.make(wire(updated))
            },
            APIRoute(method: .delete, path: Self.versionPath + "/aliases/:alias") { _, context in
                let (project, version) = try await self.version(context, needs: .write)
                let alias = try context.parameters.require("alias")
                let updated = try await core(project) { [store] in
                    guard version.manualAliases.contains(where: { Alias.key($0) == Alias.key(alias) }) else {
                        throw StoreError.aliasNotFound(artifact: "\(project.catalogName)/\(version.name)", alias: alias)
                    }
                    try store.removeAlias(alias, from: version)
                    return try store.version(id: version.id)
                }
                await audit(context, project, "alias.remove", "\(target(project, version)) \(alias)")
                return try JSONResponse.make(wire(updated))
            },
            APIRoute(method: .post, path: "/api/v1/projects/:entity/:project/prune") { request, context in
                let project = try await self.project(context, needs: .read)
                let prune = try await RequestBodyReader.json(WirePruneRequest.self, from: request)
                let dryRun = prune.dryRun ?? false
                if !dryRun { _ = try await self.project(context, needs: .write) }
                let keepLast = prune.keepLast ?? 0
                // Named as the field the caller sent, not as the command line's --keep-last.
                try NumberRule.count.check(keepLast, for: "keepLast")
                let plan = try await core(project) { [store] in
                    dryRun
                        ? try store.prunePlan(project: project.catalogName, artifact: prune.artifact, keepLast: keepLast)
                        : try store.prune(project: project.catalogName, artifact: prune.artifact, keepLast: keepLast)
                }
                if !dryRun {
                    logPacksLeft(plan, context)
                    await audit(context, project, "prune", "\(project.path)\(prune.artifact.map { "/\($0)" } ?? "") keep \(keepLast): \(plan.versions.count) versions")
                }
                return try JSONResponse.make(shape(plan, deleted: !dryRun))
            },
        ]
    }

    /// The project and committed version named by the route, with `needed` access to the project.
    func version(_ context: ServerRequestContext, needs needed: Access) async throws -> (ProjectRecord, ArtifactVersion) {
        let project = try await self.project(context, needs: needed)
        let name = try context.parameters.require("artifact")
        let reference = try context.parameters.require("version")
        let address: ArtifactAddress
        do {
            address = try ArtifactAddress(parsing: "\(project.catalogName)/\(name):\(reference)")
        } catch {
            throw APIError.from(error, project: project)
        }
        let version = try await catalogRead(project) { reads in
            do {
                return try await reads.version(project: project.catalogName, name: name, reference: address.reference)
            } catch StoreError.projectNotFound {
                // As for the listing: a project created but still empty is not in the catalog yet.
                throw StoreError.artifactNotFound(project: project.catalogName, name: name)
            }
        }
        return (project, version)
    }

    func target(_ project: ProjectRecord, _ version: ArtifactVersion) -> String {
        "\(project.path)/\(version.name):\(version.versionName)"
    }

    /// A deletion whose packs the bucket did not finish freeing is done (the next one retries them),
    /// but operators should see that the bucket is failing.
    private func logPacksLeft(_ plan: DeletionPlan, _ context: ServerRequestContext) {
        guard plan.packsLeft > 0 else { return }
        context.logger.warning("deletion left packs for later", metadata: [
            "packs": "\(plan.packsLeft)", "error": "\(plan.objectStoreError ?? "")",
        ])
    }

    func shape(_ plan: DeletionPlan, deleted: Bool) -> WireDeletion {
        WireDeletion(
            versions: plan.versions.map { wire($0) }, freedBytes: plan.freedBytes, freedChunks: plan.freedChunks,
            deleted: deleted, packsLeft: plan.packsLeft > 0 ? plan.packsLeft : nil, objectStoreError: plan.objectStoreError)
    }

    func octets(_ bytes: [UInt8]) -> Response {
        octets(ByteBuffer(bytes: bytes))
    }

    func octets(_ buffer: ByteBuffer) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.contentLength] = "\(buffer.readableBytes)"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: buffer))
    }
}
