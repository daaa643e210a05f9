import ArtifactStore
import ArtifactWire
import Foundation

/// A put to a team server: cuts the draft's files locally exactly as the embedded store does, sends
/// only the chunks the server lacks (in packs, several at once, while the files are still being read)
/// and commits the manifest.
struct RemotePut {
    /// What the put did.
    struct Result {
        var commit: CommitResponse
        var sent: ChunkUploader.Outcome
        var files: Int
    }

    let client: ServerClient
    let project: RemoteProject
    /// Sends the commit, in parts when it has more files than one.
    let committer: CommitSender
    /// The client's cache directory: the stat cache of files put before and unfinished uploads live there.
    let cacheDirectory: URL
    /// The artifact's newest committed version as the caller found it (`newestVersion`), nil when it
    /// has none or the caller did not ask: a draft with the same content is then not sent.
    var newest: WireVersion?

    /// Cuts, uploads and commits `draft` (into the pending version `distributedID` names, when given).
    ///
    /// The files are read once, on all cores, and what the server lacks goes out while the rest is still
    /// being read (`StreamedUpload`); the manifest is committed at the end. Files the stat cache
    /// recognises are not read: their chunks are asked about afterwards, and read only if the server lacks them.
    func put(_ draft: ArtifactDraft, distributedID: String?) throws -> Result {
        if distributedID != nil && !draft.references.isEmpty { throw Store.referencesInPendingVersion }
        let transfer = cacheDirectory.appendingPathComponent("transfer")
        try? FileManager.default.createDirectory(at: transfer, withIntermediateDirectories: true)
        let cutter = try DraftCutter(
            statCachePath: transfer.appendingPathComponent("put-statcache.sqlite").path,
            chunkListPath: transfer.appendingPathComponent("put-chunklists.sqlite").path)
        let sources = draft.sourcesInManifestOrder
        let uploader = ChunkUploader(client: client, project: project)
        let session = UploadSession(
            uploader: uploader, uploads: ResumableUploads(cacheDirectory: cacheDirectory),
            key: ResumableUploads.Key(
                server: "\(client.server)", project: "\(project)", artifact: draft.name,
                sources: ResumableUploads.Key.digest(ofPaths: sources.map(\.path))))
        let streamed = StreamedUpload(session: session, packTarget: uploader.packTarget, connections: uploader.connections)
        let putting = ProgressLine(verb: "putting")
        var cut: [DraftCutter.CutFile]
        var sent: ChunkUploader.Outcome
        do {
            defer { putting?.finish() }
            do {
                cut = try cutter.cut(sources, progress: putting?.update, sinks: { streamed.sink() })
            } catch {
                // What was packed before the failure still goes out: a re-run then sends only the rest.
                _ = try? streamed.packs.finish()
                throw error
            }
            sent = try streamed.packs.finish()
        }
        // Reference entries travel in the manifest only: their bytes stay at their sources.
        let files = cut.map(\.entry) + draft.references.values.sorted { $0.path < $1.path }
        let digest = Store.manifestDigest(files)
        // Reading files takes time in which another writer may commit: then the newest version is
        // asked again, so "no changes" always names the version that is newest now.
        if draft.aliases.isEmpty, draft.runID == nil, distributedID == nil, let known = newest, known.digest == digest,
           let newest = cut.allSatisfy({ $0.content == nil }) ? known
               : try Self.newestVersion(of: draft.name, in: project, client: client),
           newest.digest == digest
        {
            // Content equal to the newest version makes no version, and with no aliases or run to
            // record there is nothing to send; but a put is a write, and one the caller may not make is
            // refused as the server refuses it, not answered "no changes".
            try uploader.checkWriteAccess()
            cutter.remember(cut)
            return Result(commit: CommitResponse(created: false, version: newest), sent: sent, files: files.count)
        }
        cutter.recallChunkLists(of: &cut)
        var contents = try chunkLists(for: &cut, artifact: draft.name)
        let allChunks = ChunkUploader.chunksInFileOrder(files, chunksOf: contents.mapValues(\.chunks))
        // Chunks read above were asked about as they were read; those of recognised files are asked now.
        let unasked = allChunks.filter { !streamed.hasTaken($0) }
        var missing = unasked.isEmpty ? [] : try session.missing(unasked)
        let request = CommitRequest(
            artifact: draft.name, type: draft.type, description: draft.description, metadata: draft.metadata,
            aliases: draft.aliases, run: draft.runID, files: files,
            contents: contents.values.sorted { $0.digest < $1.digest }.map {
                WireContent(digest: $0.digest, size: $0.size, chunks: $0.chunks)
            },
            distributedID: distributedID)
        for attempt in 1...3 {
            let upload = try session.upload()
            if !missing.isEmpty {
                let places = try placesOf(missing, in: &cut, contents: &contents)
                let sending = ProgressLine(verb: "uploading", unit: "packs")
                let outcome = try uploader.send(
                    missing, upload: upload, size: { places[$0]?.length ?? 4 << 20 },
                    makeSource: { FileChunkSource(places: places) }, progress: sending)
                sending?.finish()
                sent.chunks += outcome.chunks
                sent.packs += outcome.packs
                sent.bytes += outcome.bytes
            }
            do {
                let commit = try committer.commit(request, upload: upload)
                session.committed()
                cutter.remember(cut)
                return Result(commit: commit, sent: sent, files: files.count)
            } catch ServerError.missingChunks where attempt < 3 {
                // Chunks went away between the question and the commit (a delete, an expiry): send them again.
                missing = try session.missing(allChunks, stagedByThisRun: true)
            }
        }
        throw CommandFailure(message: "the server kept refusing the commit for missing chunks; try again")
    }

    /// The artifact's newest committed version on the server, nil when it (or its project) does not
    /// exist or the caller may not read it. An answer also shows the project exists.
    static func newestVersion(of artifact: String, in project: RemoteProject, client: ServerClient) throws -> WireVersion? {
        do {
            return try client.get(project.versionPath(artifact: artifact, version: "latest"))
        } catch ServerError.notFound {
            return nil
        }
    }

    /// Every content's chunk list: from cutting, else (for files the stat cache recognised) from the
    /// server's newest version of the artifact, else by cutting the file now.
    private func chunkLists(for cut: inout [DraftCutter.CutFile], artifact: String) throws -> [String: ContentRecord] {
        var contents: [String: ContentRecord] = [:]
        for file in cut { if let content = file.content { contents[content.record.digest] = content.record } }
        let unknown = cut.indices.filter { cut[$0].content == nil && contents[cut[$0].entry.digest] == nil }
        guard !unknown.isEmpty else { return contents }
        let newest: [String: WireContent]
        do {
            let manifest = try ManifestPages(client: client).manifest(at: project.versionPath(artifact: artifact, version: "latest"))
            newest = Dictionary(manifest.contents.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })
        } catch ServerError.notFound {
            newest = [:]
        }
        for index in unknown where contents[cut[index].entry.digest] == nil {
            if let known = newest[cut[index].entry.digest] {
                contents[known.digest] = known.record
            } else {
                try cutAgain(&cut[index])
                contents[cut[index].entry.digest] = cut[index].content!.record
            }
        }
        return contents
    }

    /// Where each of `digests` lies in the files, cutting again any recognised file that holds one.
    private func placesOf(
        _ digests: [String], in cut: inout [DraftCutter.CutFile], contents: inout [String: ContentRecord]
    ) throws -> [String: ChunkPlace] {
        let wanted = Set(digests)
        var places: [String: ChunkPlace] = [:]
        for index in cut.indices {
            if cut[index].content == nil, contents[cut[index].entry.digest]?.chunks.contains(where: wanted.contains) == true {
                try cutAgain(&cut[index])
            }
            guard let content = cut[index].content else { continue }
            var offset: Int64 = 0
            for (digest, length) in zip(content.record.chunks, content.chunkLengths) {
                if wanted.contains(digest) && places[digest] == nil {
                    places[digest] = ChunkPlace(
                        filePath: cut[index].source.file.path, data: cut[index].source.data, offset: offset, length: length)
                }
                offset += Int64(length)
            }
        }
        return places
    }

    private func cutAgain(_ file: inout DraftCutter.CutFile) throws {
        let content = try CutContent.cut(fileAt: file.source.file.path)
        guard content.record.digest == file.entry.digest else {
            throw StoreError.io(operation: "read", path: file.source.file.path, reason: "the file changed while it was being put")
        }
        file.content = content
    }
}
