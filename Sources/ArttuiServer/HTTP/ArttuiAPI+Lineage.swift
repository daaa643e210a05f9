import ArtifactStore
import ArtifactWire
import Foundation
import Hummingbird

extension ArttuiAPI {
    static let pendingPath = "/api/v1/projects/:entity/:project/artifacts/:artifact/pending/:distributedID"

    /// Lineage, pending versions and verify.
    var lineageRoutes: [APIRoute] {
        [
            APIRoute(method: .get, path: Self.versionPath + "/lineage") { request, context in
                let (project, version) = try await self.version(context, needs: .read)
                let up = try queryInteger(request, "up", default: 3, range: 0...ServerLimits.maxLineageDepth)
                let down = try queryInteger(request, "down", default: 3, range: 0...ServerLimits.maxLineageDepth)
                let graph = try await core(project) { [store] in
                    try store.lineage(of: version, upstream: up, downstream: down)
                }
                return try JSONResponse.make(visibleLineage(WireLineage(graph), readable: try await readableCatalogNames(context)))
            },
            APIRoute(method: .post, path: Self.pendingPath + "/finish") { request, context in
                let project = try await self.project(context, needs: .write)
                let name = try context.parameters.require("artifact")
                let distributedID = try context.parameters.require("distributedID")
                let finish = try await RequestBodyReader.json(WirePendingFinish.self, from: request)
                if let run = finish.run {
                    let record = try? await core(project) { [store] in try store.run(id: run).record }
                    guard record?.project == project.catalogName else { throw APIError.notFound("run \(run) in \(project.path)") }
                }
                let version = try await core(project) { [store] in
                    try store.catalog.finishPending(
                        project: project.catalogName, name: name, distributedID: distributedID, producerRunID: finish.run)
                }
                await audit(context, project, "pending.finish", target(project, version))
                return try JSONResponse.make(wire(version))
            },
            APIRoute(method: .delete, path: Self.pendingPath) { _, context in
                let project = try await self.project(context, needs: .write)
                let name = try context.parameters.require("artifact")
                let distributedID = try context.parameters.require("distributedID")
                let plan = try await core(project) { [store] in
                    try store.discardPending(project: project.catalogName, name: name, distributedID: distributedID)
                }
                await audit(context, project, "pending.discard", "\(project.path)/\(name) \(distributedID)")
                return try JSONResponse.make(shape(plan, deleted: true))
            },
            APIRoute(method: .get, path: "/api/v1/projects/:entity/:project/verify") { request, context in
                let project = try await self.project(context, needs: .read)
                let artifact = request.uri.queryParameters.get("artifact")
                let reference = request.uri.queryParameters.get("version")
                if reference != nil, artifact == nil {
                    throw APIError(.badRequest, "query parameter version needs artifact too")
                }
                let readData = try queryBoolean(request, "read_data")
                let report = try await core(project) { [store] in
                    var scope = VerificationScope.project(project.catalogName)
                    if let artifact {
                        guard try store.catalog.artifactType(project: project.catalogName, name: artifact) != nil else {
                            throw StoreError.artifactNotFound(project: project.catalogName, name: artifact)
                        }
                        scope = .artifact(project: project.catalogName, name: artifact)
                        if let reference {
                            let address = try ArtifactAddress(parsing: "\(project.catalogName)/\(artifact):\(reference)")
                            scope = .version(id: try store.catalog.version(
                                project: project.catalogName, name: artifact, reference: address.reference).id)
                        }
                    }
                    var verifier = StoreVerifier(store: store)
                    verifier.readData = readData
                    return try verifier.verify(scope)
                }
                return try JSONResponse.make(WireVerification(report: report))
            },
            APIRoute(method: .get, path: "/api/v1/verify") { request, context in
                let caller = try signedIn(context)
                // Only site admins see the whole store: its orphans and damage span every project. The
                // endpoint is no secret, so others are told what they may do instead.
                guard caller.isAdmin else {
                    throw APIError(.forbidden, "only site administrators verify the whole store; name a project, artifact or version to verify")
                }
                let readData = try queryBoolean(request, "read_data")
                let report = try await core(nil) { [store] in
                    var verifier = StoreVerifier(store: store)
                    verifier.readData = readData
                    return try verifier.verify(.store)
                }
                return try JSONResponse.make(WireVerification(report: report))
            },
        ]
    }

    /// The graph without versions in projects the caller may not read (and the edges to them), projects shown as `ENTITY/PROJECT`.
    func visibleLineage(_ graph: WireLineage, readable: Set<String>) -> WireLineage {
        var graph = graph
        let hidden = Set(graph.nodes.filter { $0.kind == "version" && !readable.contains($0.project ?? "") }.map(\.key))
        graph.nodes = graph.nodes.filter { !hidden.contains($0.key) }.map { node in
            var node = node
            node.project = node.project.map(ProjectRecord.path(ofCatalogName:))
            return node
        }
        graph.edges = graph.edges.filter { !hidden.contains($0["from"] ?? "") && !hidden.contains($0["to"] ?? "") }
        return graph
    }
}
