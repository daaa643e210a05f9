import ArtifactStore
import ArtifactWire
import Foundation

/// A project on a team server as one side of a push or pull. Versions, manifests, runs, lineage,
/// aliases and the project itself go through `ServerRepository`, the one client of those endpoints;
/// chunks and commits through the upload protocol, as `put` sends them.
final class ServerTransferEnd: TransferEnd {
    let client: ServerClient
    let project: RemoteProject
    private let repository: ServerRepository
    private let committer: CommitSender
    /// Where the upload of a version being copied here is remembered until it commits, so a copy
    /// interrupted (a server restarted, a dropped link, Ctrl-C) and run again resumes it, as a put does.
    private let uploads: ResumableUploads

    /// An end on `client`'s server; `cacheDirectory` keeps the uploads of unfinished copies.
    /// - Throws: `CommandFailure` when `ARTTUI_COMMIT_PART_FILES` is not a part size (before anything is copied).
    init(client: ServerClient, project: RemoteProject, cacheDirectory: URL) throws {
        self.client = client
        self.project = project
        repository = ServerRepository(client: client)
        committer = try CommitSender(client: client, project: project)
        uploads = ResumableUploads(cacheDirectory: cacheDirectory)
    }

    var place: String { "on \(client.server)" }

    var projectName: String { "\(project)" }

    /// `ENTITY/PROJECT`, as the repository names projects.
    private var projectPath: String { projectName }

    func versions(of artifact: String, reference: String?) throws -> [WireVersion] {
        if let reference { return [try repository.wireVersion(projectPath, artifact, reference)] }
        return try repository.wireVersions(of: projectPath, artifact, offset: 0, limit: .max)
            .sorted { ($0.index ?? 0) < ($1.index ?? 0) }
    }

    func pendingVersionCount(of artifact: String) throws -> Int {
        do {
            // Pending versions are listed first: page only until a committed one shows.
            let page = 100
            var count = 0
            while true {
                let versions = try repository.wireVersions(
                    of: projectPath, artifact, offset: count, limit: page, includePending: true)
                let pending = versions.prefix { $0.state == VersionState.pending.rawValue }.count
                count += pending
                if pending < page { return count }
            }
        } catch ServerError.permissionDenied {
            // A reader is not shown pending versions, so has none to be told about.
            return 0
        } catch ServerError.unauthorized {
            // Nor is an anonymous reader of a public project.
            return 0
        } catch ServerError.notFound {
            return 0
        }
    }

    func manifest(of version: WireVersion) throws -> WireManifest {
        try repository.manifest(projectPath, version.name, version.version)
    }

    /// The run only when it belongs to this project (run ids are unique across a server).
    func run(id: String) throws -> WireRun? {
        do {
            let run = try repository.wireRunDetail(id: id).run
            return run.project == projectPath ? run : nil
        } catch ServerError.notFound {
            return nil
        }
    }

    func runsUsing(_ version: WireVersion) throws -> [String] {
        let graph = try repository.wireLineage(projectPath, version.name, version.version, upstream: 0, downstream: 1)
        let runs = Set(graph.edges.filter { $0["from"] == graph.root }.compactMap { $0["to"] })
        return graph.nodes.filter { $0.kind == "run" && runs.contains($0.key) }.compactMap(\.id)
    }

    func recordSource(for version: WireVersion, manifest: WireManifest) throws -> @Sendable () -> any ChunkRecordSource {
        let path = project.versionPath(artifact: version.name, version: version.version) + "/chunks"
        let client = client
        return { ServerChunkRecords(client: client, path: path) }
    }

    func prepareProject() throws -> String? {
        try repository.ensureProject(projectPath) ? projectPath : nil
    }

    func missingChunks(_ digests: [String]) throws -> [String] {
        try ChunkUploader(client: client, project: project).missing(digests, upload: nil)
    }

    func importVersion(
        _ request: CommitRequest, sending digests: [String], size: @escaping (String) -> Int,
        from source: @escaping @Sendable () -> any ChunkRecordSource
    ) throws -> (commit: CommitResponse, chunks: Int, bytes: Int64) {
        let uploader = ChunkUploader(client: client, project: project)
        // One upload per version copied: its digest names it, whatever the source.
        let session = UploadSession(
            uploader: uploader, uploads: uploads,
            key: ResumableUploads.Key(
                server: "\(client.server)", project: "\(project)", artifact: request.artifact,
                sources: Store.manifestDigest(request.files)))
        // What an interrupted copy of this version staged is not sent again.
        var toSend = session.isResumed ? try session.missing(digests) : digests
        let upload = try session.upload()
        var chunks = 0
        var bytes: Int64 = 0
        for attempt in 1...3 {
            let progress = ProgressLine(verb: "sending \(request.artifact)", unit: "packs")
            let sent = try uploader.send(toSend, upload: upload, size: size, makeSource: source, progress: progress)
            progress?.finish()
            chunks += sent.chunks
            bytes += sent.bytes
            do {
                let commit = try committer.commit(request, upload: upload)
                session.committed()
                return (commit, chunks, bytes)
            } catch ServerError.missingChunks where attempt < 3 {
                toSend = try uploader.missing(Array(Set(request.contents.flatMap(\.chunks))).sorted(), upload: upload)
            }
        }
        throw CommandFailure(message: "\(client.server) kept refusing the commit of \(request.artifact) for missing chunks")
    }

    func ensureRun(_ run: WireRun) throws -> RunPlacement {
        do {
            // Run ids are global on a server: one in another project there cannot be this one.
            return try repository.wireRunDetail(id: run.id).run.project == projectPath ? .present : .elsewhere
        } catch ServerError.notFound {}
        let start = RunStartOptions(
            id: run.id, name: run.name, group: run.group, jobType: run.jobType, sweep: run.sweep, config: run.config)
        do {
            _ = try repository.startRun(in: projectPath, start)
        } catch let ServerError.problem(status, _) where status == 409 {
            // Taken, by a run in a project this caller cannot read.
            return .elsewhere
        }
        if let state = RunState(rawValue: run.state), state != .running {
            try repository.finish(run: run.id, state: state, summary: run.summary)
        } else if !run.summary.isEmpty {
            try repository.log(run: run.id, summary: run.summary)
        }
        return .created
    }

    func recordUse(runID: String, of version: WireVersion) throws {
        try repository.use(version.model, run: runID)
    }

    func setAlias(_ alias: String, on version: WireVersion) throws {
        _ = try repository.setAlias(alias, on: projectPath, version.name, version.version)
    }
}

/// Records of a server version's chunks, fetched as stored.
final class ServerChunkRecords: ChunkRecordSource {
    private let client: ServerClient
    private let path: String

    init(client: ServerClient, path: String) {
        self.client = client
        self.path = path
    }

    func appendRecords(of digests: [String], to pack: inout [UInt8]) throws {
        var start = 0
        while start < digests.count {
            // At most 4 MiB a chunk: 12 chunks stay well inside the server's 64 MiB per answer.
            let batch = Array(digests[start..<min(digests.count, start + 12)])
            let body = try JSONEncoder().encode(ChunkRecordsRequest(digests: batch))
            pack.append(contentsOf: try client.send("POST", path, query: [], body: body, wait: .afterWork))
            start += batch.count
        }
    }
}
