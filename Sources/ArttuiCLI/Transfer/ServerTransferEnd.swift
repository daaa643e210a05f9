import ArtifactStore
import ArtifactWire
import Foundation

/// A project on a team server as one side of a push or pull.
final class ServerTransferEnd: TransferEnd {
    let client: ServerClient
    let project: RemoteProject

    init(client: ServerClient, project: RemoteProject) {
        self.client = client
        self.project = project
    }

    var projectLabel: String { "\(project) on \(client.server)" }

    func versions(of artifact: String, reference: String?) throws -> [WireVersion] {
        if let reference {
            return [try client.get(project.versionPath(artifact: artifact, version: reference))]
        }
        var versions: [WireVersion] = []
        while true {
            let page: WireVersionPage = try client.get(
                "\(project.apiPath)/artifacts/\(pathSegment(artifact))/versions",
                query: [URLQueryItem(name: "offset", value: "\(versions.count)"), URLQueryItem(name: "limit", value: "100")])
            versions += page.versions
            if page.versions.isEmpty || versions.count >= page.total { break }
        }
        return versions.sorted { ($0.index ?? 0) < ($1.index ?? 0) }
    }

    func manifest(of version: WireVersion) throws -> WireManifest {
        try client.get(project.versionPath(artifact: version.name, version: version.version) + "/manifest")
    }

    func run(id: String) throws -> WireRun? {
        do {
            let detail: WireRunDetail = try client.get(project.apiPath + "/runs/\(pathSegment(id))")
            return detail.run
        } catch ServerError.notFound {
            return nil
        }
    }

    func runsUsing(_ version: WireVersion) throws -> [String] {
        let graph: WireLineage = try client.get(
            project.versionPath(artifact: version.name, version: version.version) + "/lineage",
            query: [URLQueryItem(name: "up", value: "0"), URLQueryItem(name: "down", value: "1")])
        let runs = Set(graph.edges.filter { $0["from"] == graph.root }.compactMap { $0["to"] })
        return graph.nodes.filter { $0.kind == "run" && runs.contains($0.key) }.compactMap(\.id)
    }

    func recordSource(for version: WireVersion, manifest: WireManifest) throws -> @Sendable () -> any ChunkRecordSource {
        let path = project.versionPath(artifact: version.name, version: version.version) + "/chunks"
        nonisolated(unsafe) let client = client
        return { ServerChunkRecords(client: client, path: path) }
    }

    func prepareProject() throws -> String? {
        do {
            let _: WireProject = try client.get(project.apiPath)
            return nil
        } catch ServerError.notFound {
            let _: WireProject = try client.send(
                "POST", "/api/v1/projects",
                body: WireProjectCreation(entity: project.entity, name: project.project, visibility: "private"))
            return "\(project)"
        }
    }

    func missingChunks(_ digests: [String]) throws -> [String] {
        try ChunkUploader(client: client, project: project).missing(digests, upload: nil)
    }

    func importVersion(
        _ request: CommitRequest, sending digests: [String], size: @escaping (String) -> Int,
        from source: @escaping @Sendable () -> any ChunkRecordSource
    ) throws -> (commit: CommitResponse, bytes: Int64) {
        let uploader = ChunkUploader(client: client, project: project)
        let upload = try uploader.createUpload()
        var toSend = digests
        var bytes: Int64 = 0
        for attempt in 1...3 {
            let progress = ProgressLine(verb: "sending \(request.artifact)", unit: "packs")
            let sent = try uploader.send(toSend, upload: upload, size: size, makeSource: source, progress: progress)
            progress?.finish()
            bytes += sent.bytes
            do {
                let commit: CommitResponse = try client.send(
                    "POST", project.apiPath + "/uploads/\(pathSegment(upload))/commit", body: request)
                return (commit, bytes)
            } catch let ServerError.problem(status, _) where status == 409 && attempt < 3 {
                toSend = try uploader.missing(Array(Set(request.contents.flatMap(\.chunks))).sorted(), upload: upload)
            }
        }
        throw CommandFailure(message: "\(client.server) kept refusing the commit of \(request.artifact) for missing chunks")
    }

    func ensureRun(_ run: WireRun) throws -> RunPlacement {
        if try self.run(id: run.id) != nil { return .present }
        do {
            let _: WireRun = try client.send("POST", project.apiPath + "/runs", body: WireRunStart(
                id: run.id, name: run.name, group: run.group, jobType: run.jobType, sweep: run.sweep, config: run.config))
        } catch let ServerError.problem(status, _) where status == 409 {
            // Run ids are global on a server: this one belongs to another project there.
            return .elsewhere
        }
        let path = project.apiPath + "/runs/\(pathSegment(run.id))"
        if run.state != RunState.running.rawValue {
            let _: WireRun = try client.send("POST", path + "/finish", body: WireRunSummaryChange(summary: run.summary, state: run.state))
        } else if !run.summary.isEmpty {
            let _: WireRun = try client.send("POST", path + "/log", body: WireRunSummaryChange(summary: run.summary))
        }
        return .created
    }

    func recordUse(runID: String, of version: WireVersion) throws {
        let _: WireVersion = try client.send(
            "POST", project.apiPath + "/runs/\(pathSegment(runID))/uses",
            body: WireRunUse(artifact: version.name, version: version.version))
    }

    func setAlias(_ alias: String, on version: WireVersion) throws {
        _ = try client.send(
            "PUT", project.versionPath(artifact: version.name, version: version.version) + "/aliases/\(pathSegment(alias))",
            query: [], body: nil)
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
            pack.append(contentsOf: try client.send("POST", path, query: [], body: body))
            start += batch.count
        }
    }
}
