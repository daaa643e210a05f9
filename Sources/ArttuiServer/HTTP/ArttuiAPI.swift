import ArtifactStore
import ArtifactStorePostgres
import ArtifactWire
import Foundation
import Hummingbird
import Logging

/// The HTTP API over a store and an account store: every route, and the access checks they share.
public struct ArttuiAPI: Sendable {
    /// The artifact store (catalog and objects).
    public let store: Store
    /// Users, teams, projects, tokens, uploads.
    public let accounts: AccountStore
    /// Checks the store's object storage for `/readyz`.
    public let objectsReachable: @Sendable () async -> String?

    /// Creates the API.
    public init(store: Store, accounts: AccountStore, objectsReachable: @escaping @Sendable () async -> String? = { nil }) {
        self.store = store
        self.accounts = accounts
        self.objectsReachable = objectsReachable
    }

    /// Every route the server answers.
    public var routes: [APIRoute] {
        operationRoutes + projectRoutes + versionRoutes + searchRoutes + uploadRoutes + runRoutes + lineageRoutes + adminRoutes
    }

    /// A router with every route and the middleware (request ids, tokens, errors as problems).
    public func makeRouter() -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        // Outermost first: metrics see the status the problem middleware answered with.
        // Outside every other: it sees the final response, problems included, to close the connection
        // of a request refused before its announced body was asked for.
        router.add(middleware: ExpectContinueMiddleware())
        router.add(middleware: MetricsRecorder.shared)
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: AuthenticationMiddleware(accounts: accounts))
        for route in routes {
            let handler = route.handler
            router.on(RouterPath(route.path), method: route.method) { request, context in
                var context = context
                context.coreContext.parameters = Self.percentDecoded(context.parameters)
                return try await handler(request, context)
            }
        }
        return router
    }

    /// Route parameters as the names they stand for: clients percent-encode each path segment (an alias
    /// or project with a space arrives as `sp%20ace`), and the router hands segments on as they came, so
    /// without this the encoded text was stored as the name.
    static func percentDecoded(_ parameters: Parameters) -> Parameters {
        Parameters(parameters.map { (key: $0.key, value: $0.value.removingPercentEncoding.map { Substring($0) } ?? $0.value) })
    }

    // MARK: Shared checks

    /// The project named by the route, if the caller has at least `needed` access to it.
    ///
    /// A project the caller may not read is answered 404, as one that does not exist. One it may read
    /// but not change answers 401 without a token and 403 with one.
    func project(_ context: ServerRequestContext, needs needed: Access) async throws -> ProjectRecord {
        let entity = try context.parameters.require("entity")
        let name = try context.parameters.require("project")
        guard let project = try await accounts.project(entity: entity, name: name) else {
            throw APIError.projectNotFound("\(entity)/\(name)")
        }
        let access = AccessPolicy.access(context.caller, to: project)
        if access == .none { throw APIError.projectNotFound("\(entity)/\(name)") }
        if access < needed {
            guard context.caller != nil else { throw APIError.tokenRequired }
            guard needed == .admin else {
                throw APIError(.forbidden, "you may read but not write to project \(project.path)")
            }
            // Administering a project is changing its visibility; members may write but not that.
            let allowed = access == .write ? "read and write" : "read"
            throw APIError(
                .forbidden,
                "only admins of \(project.entity) may change the visibility of project \(project.path); you may \(allowed) it")
        }
        return project
    }

    /// The signed-in caller, or 401.
    func signedIn(_ context: ServerRequestContext) throws -> Caller {
        guard let caller = context.caller else { throw APIError.tokenRequired }
        return caller
    }

    /// Records a write in the audit trail of the project's entity.
    func audit(_ context: ServerRequestContext, _ project: ProjectRecord, _ action: String, _ target: String) async {
        guard let caller = context.caller else { return }
        do {
            try await accounts.audit(user: caller.name, entity: project.entity, action: action, target: target)
        } catch {
            context.logger.error("audit record not written", metadata: ["action": "\(action)", "error": "\(error)"])
        }
    }

    /// Runs a core call off the cooperative threads, mapping its errors to problems about `project`.
    func core<T: Sendable>(_ project: ProjectRecord?, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await offload(body)
        } catch {
            throw APIError.from(error, project: project)
        }
    }

    /// A catalog read through `CatalogReads` (on PostgreSQL without blocking a thread), its errors
    /// mapped to problems about `project`.
    func catalogRead<T: Sendable>(_ project: ProjectRecord?, _ read: (any CatalogReads) async throws -> T)
        async throws -> T
    {
        let reads: any CatalogReads = (store.catalog as? PostgresCatalog)?.nonBlocking
            ?? OffloadedCatalogReads(catalog: store.catalog)
        do {
            return try await read(reads)
        } catch {
            throw APIError.from(error, project: project)
        }
    }

    /// A version as the API shows it: the project as `ENTITY/PROJECT`.
    func wire(_ version: ArtifactVersion, files: [ManifestEntry]? = nil) -> WireVersion {
        var shape = WireVersion(version, files: files)
        shape.project = ProjectRecord.path(ofCatalogName: version.project)
        return shape
    }

    /// An integer query parameter within bounds, or 400 naming it.
    func queryInteger(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError(.badRequest, "query parameter \(name) must be an integer from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
        }
        return number
    }

    /// A boolean query parameter (`true`/`1`/`false`/`0`), or 400 naming it.
    func queryBoolean(_ request: Request, _ name: String) throws -> Bool {
        guard let text = request.uri.queryParameters.get(name) else { return false }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError(.badRequest, "query parameter \(name) must be true or false, not \"\(text.prefix(40))\"")
        }
    }
}
