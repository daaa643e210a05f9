import ArtifactStore
import ArtifactWire
import Foundation
import Hummingbird

extension ArttuiAPI {
    /// `find` and `diff`: both answered by the catalog (its flattened metadata keys, its file digests).
    var searchRoutes: [APIRoute] {
        [
            APIRoute(method: .get, path: "/api/v1/versions") { request, context in
                let parameters = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
                let search = try wireCall { try WireSearchQuery(parameters: parameters) }
                var query = try wireCall { try search.versionQuery() }
                let limit = search.limit ?? 100
                guard limit <= ServerLimits.maxPageSize else {
                    throw APIError(.badRequest, "query parameter limit must be at most \(ServerLimits.maxPageSize), not \(limit)")
                }
                query.limit = limit
                // Only what the caller may read is searched: a project it may not read is not found,
                // and without a project the search covers every project it may read.
                if let path = search.project {
                    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
                    guard parts.count == 2,
                          let project = try await accounts.project(entity: String(parts[0]), name: String(parts[1])),
                          AccessPolicy.access(context.caller, to: project) != .none
                    else { throw APIError.projectNotFound(path) }
                    query.projects = [project.catalogName]
                } else {
                    query.projects = Set(try await accounts.projects()
                        .filter { AccessPolicy.access(context.caller, to: $0) != .none }.map(\.catalogName))
                }
                let versions = try await core(nil) { [store, query] in try store.find(query) }
                return try JSONResponse.make(WireSearchResult(versions: versions.map { wire($0) }, limit: limit))
            },
            APIRoute(method: .get, path: Self.versionPath + "/diff") { request, context in
                let (project, target) = try await self.version(context, needs: .read)
                let base: ArtifactVersion
                if let reference = request.uri.queryParameters.get("base") {
                    base = try await self.baseVersion(reference, of: target, in: project, context)
                } else {
                    guard let previous = try await core(project, { [store] in try store.previousVersion(of: target) }) else {
                        throw APIError.notFound("version before \(self.target(project, target))")
                    }
                    base = previous
                }
                let diff = try await core(project) { [store] in try store.diff(from: base, to: target) }
                return try JSONResponse.make(WireDiff(diff, base: wire(base), target: wire(target)))
            },
        ]
    }

    /// The base of a diff: `REF` in the target's artifact, or `ENTITY/PROJECT/NAME:REF` in any project
    /// the caller may read (others are not found, as everywhere).
    private func baseVersion(
        _ reference: String, of target: ArtifactVersion, in project: ProjectRecord, _ context: ServerRequestContext
    ) async throws -> ArtifactVersion {
        guard reference.contains("/") else {
            return try await core(project) { [store] in
                let address = try ArtifactAddress(parsing: "\(project.catalogName)/\(target.name):\(reference)")
                return try store.catalog.version(project: project.catalogName, name: target.name, reference: address.reference)
            }
        }
        let address = try wireCall { try ArtifactAddress(parsing: reference) }
        guard let entity = address.entity else {
            throw APIError(.badRequest, "query parameter base \"\(reference)\" must be REF or ENTITY/PROJECT/NAME:REF")
        }
        guard let other = try await accounts.project(entity: entity, name: address.project),
              AccessPolicy.access(context.caller, to: other) != .none
        else { throw APIError.projectNotFound("\(entity)/\(address.project)") }
        return try await core(other) { [store] in
            try store.catalog.version(project: other.catalogName, name: address.name, reference: address.reference)
        }
    }

    /// Runs a parse of request input, answering its errors as 400 problems.
    private func wireCall<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw APIError.from(error)
        }
    }
}
