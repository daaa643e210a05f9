import ArtifactStore
import ArtifactWire
import Foundation
import Hummingbird

extension ArttuiAPI {
    static let runPath = "/api/v1/projects/:entity/:project/runs/:run"

    var runRoutes: [APIRoute] {
        [
            APIRoute(method: .get, path: "/api/v1/projects/:entity/:project/runs") { request, context in
                let project = try await self.project(context, needs: .read)
                let sweep = request.uri.queryParameters.get("sweep")
                let group = request.uri.queryParameters.get("group")
                let runs = try await core(project) { [store] in
                    try store.runs(in: project.catalogName, sweep: sweep, group: group)
                }
                return try JSONResponse.make(runs.map { wire($0) })
            },
            APIRoute(method: .post, path: "/api/v1/projects/:entity/:project/runs") { request, context in
                let project = try await self.project(context, needs: .write)
                let start = try await RequestBodyReader.json(WireRunStart.self, from: request)
                let resume = try start.resume.map { text in
                    guard let resume = RunResume(rawValue: text) else {
                        throw APIError(.badRequest, "resume must be allow, must or never, not \"\(text.prefix(40))\"")
                    }
                    return resume
                } ?? .never
                let record = try await core(project) { [store] in
                    try store.startRun(
                        project: project.catalogName, id: start.id, resume: resume, name: start.name, group: start.group,
                        jobType: start.jobType, sweep: start.sweep, config: start.config ?? [:]
                    ).record
                }
                await audit(context, project, "run.start", "\(project.path) \(record.id)")
                return try JSONResponse.make(wire(record), status: .created)
            },
            APIRoute(method: .get, path: "/api/v1/runs/:run") { _, context in
                // Run ids are unique on the server, so a client holding only an id can find the run.
                let id = try context.parameters.require("run")
                let record = try? await core(nil) { [store] in try store.run(id: id).record }
                guard let record else { throw APIError.runNotFound(id) }
                // A run in a project the caller may not read is answered as if it did not exist, naming no project.
                guard let project = try? await readableProject(path: ProjectRecord.path(ofCatalogName: record.project), context)
                else { throw APIError.runNotFound(id) }
                return try await runDetail(project, record, context)
            },
            APIRoute(method: .get, path: Self.runPath) { _, context in
                let (project, run) = try await self.run(context, needs: .read)
                return try await runDetail(project, run, context)
            },
            APIRoute(method: .post, path: Self.runPath + "/log") { request, context in
                let (project, run) = try await self.run(context, needs: .write)
                let change = try await RequestBodyReader.json(WireRunSummaryChange.self, from: request)
                let record = try await core(project) { [store] in
                    let handle = try store.run(id: run.id)
                    try handle.log(change.summary ?? [:])
                    return handle.record
                }
                await audit(context, project, "run.log", "\(project.path) \(run.id)")
                return try JSONResponse.make(wire(record))
            },
            APIRoute(method: .post, path: Self.runPath + "/finish") { request, context in
                let (project, run) = try await self.run(context, needs: .write)
                let change = try await RequestBodyReader.json(WireRunSummaryChange.self, from: request)
                let state = try change.state.map { text in
                    guard let state = RunState(rawValue: text), state != .running else {
                        throw APIError(.badRequest, "state must be finished, failed or crashed, not \"\(text.prefix(40))\"")
                    }
                    return state
                } ?? .finished
                let record = try await core(project) { [store] in
                    let handle = try store.run(id: run.id)
                    try handle.finish(state: state, summary: change.summary ?? [:])
                    return handle.record
                }
                await audit(context, project, "run.finish", "\(project.path) \(run.id) \(state.rawValue)")
                return try JSONResponse.make(wire(record))
            },
            APIRoute(method: .post, path: Self.runPath + "/uses") { request, context in
                let (project, run) = try await self.run(context, needs: .write)
                let use = try await RequestBodyReader.json(WireRunUse.self, from: request)
                let source = try await readableProject(path: use.project ?? project.path, context)
                let version = try await core(source) { [store] in
                    let address = try ArtifactAddress(parsing: "\(source.catalogName)/\(use.artifact):\(use.version)")
                    let version = try store.catalog.version(
                        project: source.catalogName, name: use.artifact, reference: address.reference)
                    try store.run(id: run.id).useArtifact(version)
                    return version
                }
                await audit(context, project, "run.use", "\(project.path) \(run.id) \(target(source, version))")
                return try JSONResponse.make(wire(version))
            },
            APIRoute(method: .get, path: "/api/v1/projects/:entity/:project/sweeps/:sweep/best") { request, context in
                let project = try await self.project(context, needs: .read)
                let sweep = try context.parameters.require("sweep")
                guard let metric = request.uri.queryParameters.get("metric"), !metric.isEmpty else {
                    throw APIError(.badRequest, "query parameter metric is required: the summary metric to rank runs by")
                }
                let order = request.uri.queryParameters.get("order") ?? "max"
                guard order == "max" || order == "min" else {
                    throw APIError(.badRequest, "query parameter order must be max or min, not \"\(order.prefix(40))\"")
                }
                let (best, logged) = try await core(project) { [store] in
                    let best = try store.bestRun(
                        project: project.catalogName, sweep: sweep, metric: metric, minimize: order == "min")
                    return (best, try store.loggedArtifacts(of: best))
                }
                let readable = try await readableCatalogNames(context)
                return try JSONResponse.make(WireSweepBest(
                    run: wire(best), artifacts: logged.filter { readable.contains($0.project) }.map { wire($0) }))
            },
        ]
    }

    /// A run with the versions it used and logged that the caller may read.
    func runDetail(_ project: ProjectRecord, _ run: RunRecord, _ context: ServerRequestContext) async throws -> Response {
        let (used, logged) = try await core(project) { [store] in
            (try store.usedArtifacts(of: run), try store.loggedArtifacts(of: run))
        }
        let readable = try await readableCatalogNames(context)
        return try JSONResponse.make(WireRunDetail(
            run: wire(run), used: used.filter { readable.contains($0.project) }.map { wire($0) },
            logged: logged.filter { readable.contains($0.project) }.map { wire($0) }))
    }

    /// The project and run named by the route; a run of another project is answered 404 like a missing one.
    func run(_ context: ServerRequestContext, needs needed: Access) async throws -> (ProjectRecord, RunRecord) {
        let project = try await self.project(context, needs: needed)
        let id = try context.parameters.require("run")
        let record = try? await core(project) { [store] in try store.run(id: id).record }
        guard let record, record.project == project.catalogName else {
            throw APIError.notFound("run \(id) in \(project.path)")
        }
        return (project, record)
    }

    /// The project `ENTITY/PROJECT` if the caller may read it, else 404 as if it did not exist.
    func readableProject(path: String, _ context: ServerRequestContext) async throws -> ProjectRecord {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let project = try await accounts.project(entity: String(parts[0]), name: String(parts[1])),
              AccessPolicy.access(context.caller, to: project) >= .read
        else { throw APIError.projectNotFound(String(path.prefix(200))) }
        return project
    }

    /// The catalog names of every project the caller may read.
    func readableCatalogNames(_ context: ServerRequestContext) async throws -> Set<String> {
        Set(try await accounts.projects().filter { AccessPolicy.access(context.caller, to: $0) >= .read }.map(\.catalogName))
    }

    /// A run as the API shows it: the project as `ENTITY/PROJECT`.
    func wire(_ run: RunRecord) -> WireRun {
        var shape = WireRun(run)
        shape.project = ProjectRecord.path(ofCatalogName: run.project)
        return shape
    }
}
