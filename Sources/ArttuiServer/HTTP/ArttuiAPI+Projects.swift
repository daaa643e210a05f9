import ArtifactStore
import ArtifactWire
import Foundation
import Hummingbird

extension WireProject {
    /// A project as the API shows it to a caller with `access`.
    init(_ project: ProjectRecord, access: Access) {
        self.init(entity: project.entity, name: project.name, visibility: project.visibility.rawValue, access: "\(access)")
    }
}

/// A visibility named in a request body, or 400 naming the allowed ones.
func requestedVisibility(_ text: String) throws -> Visibility {
    guard let visibility = Visibility(rawValue: text) else {
        throw APIError(.badRequest, "visibility must be private, public or open, not \"\(text.prefix(40))\"")
    }
    return visibility
}

extension ArttuiAPI {
    var projectRoutes: [APIRoute] {
        [
            APIRoute(method: .get, path: "/api/v1/projects") { _, context in
                // One catalog query counts every project, so `arttui ls` needs no request per project.
                let summaries = Dictionary(
                    try await catalogRead(nil) { try await $0.projects() }.map { ($0.name, $0) },
                    uniquingKeysWith: { first, _ in first })
                let projects = try await accounts.projects().compactMap { project -> WireProject? in
                    let access = AccessPolicy.access(context.caller, to: project)
                    guard access != .none else { return nil }
                    var shape = WireProject(project, access: access)
                    let summary = summaries[project.catalogName]
                    shape.artifacts = summary?.artifactCount ?? 0
                    shape.versions = summary?.versionCount ?? 0
                    shape.size = summary?.size ?? 0
                    shape.createdAt = summary.map { WireTimestamp.string($0.createdAt) }
                    return shape
                }
                return try JSONResponse.make(projects)
            },
            APIRoute(method: .post, path: "/api/v1/projects") { request, context in
                let caller = try signedIn(context)
                let creation = try await RequestBodyReader.json(WireProjectCreation.self, from: request)
                guard try await accounts.entityExists(creation.entity),
                      AccessPolicy.mayCreateProject(caller, in: creation.entity)
                else {
                    // A viewer sees the team's projects: "not found" would be untrue, and no secret.
                    if caller.role(in: creation.entity) == .viewer {
                        throw APIError(.forbidden, "viewers of \(creation.entity) only read; its members and admins create projects")
                    }
                    throw APIError.notFound("entity \(creation.entity)")
                }
                let chosen = try creation.visibility.map(requestedVisibility) ?? .private
                do {
                    try NameRules.validateProject(creation.name)
                    try NameRules.validateProject(ProjectRecord.catalogName(entity: creation.entity, project: creation.name))
                } catch {
                    throw APIError.from(error)
                }
                let project: ProjectRecord
                do {
                    project = try await accounts.createProject(
                        entity: creation.entity, name: creation.name, visibility: chosen)
                } catch {
                    throw APIError.from(error)
                }
                await audit(context, project, "project.create", "\(project.path) \(project.visibility.rawValue)")
                return try JSONResponse.make(
                    WireProject(project, access: AccessPolicy.access(caller, to: project)), status: .created)
            },
            APIRoute(method: .get, path: "/api/v1/projects/:entity/:project") { _, context in
                let project = try await self.project(context, needs: .read)
                return try JSONResponse.make(WireProject(project, access: AccessPolicy.access(context.caller, to: project)))
            },
            APIRoute(method: .patch, path: "/api/v1/projects/:entity/:project") { request, context in
                var project = try await self.project(context, needs: .admin)
                let change = try await RequestBodyReader.json(WireProjectChange.self, from: request)
                let chosen = try requestedVisibility(change.visibility)
                try await accounts.setVisibility(projectID: project.id, chosen)
                await audit(context, project, "project.visibility", "\(project.path) \(chosen.rawValue)")
                project.visibility = chosen
                return try JSONResponse.make(WireProject(project, access: AccessPolicy.access(context.caller, to: project)))
            },
            APIRoute(method: .get, path: "/api/v1/projects/:entity/:project/artifacts") { _, context in
                let project = try await self.project(context, needs: .read)
                // The catalog knows a project from its first version; created but empty, it has none.
                let artifacts = try await catalogRead(project) { reads in
                    do {
                        return try await reads.artifacts(project: project.catalogName)
                    } catch StoreError.projectNotFound {
                        return []
                    }
                }
                return try JSONResponse.make(artifacts.map { artifact -> WireArtifact in
                    var shape = WireArtifact(artifact)
                    shape.project = project.path
                    return shape
                })
            },
            APIRoute(method: .get, path: "/api/v1/entities/:entity/audit") { request, context in
                let entity = try context.parameters.require("entity")
                guard AccessPolicy.mayAdminister(context.caller, entity: entity),
                      try await accounts.entityExists(entity)
                else {
                    if context.caller == nil { throw APIError.tokenRequired }
                    throw APIError.notFound("entity \(entity)")
                }
                let limit = try queryInteger(request, "limit", default: 100, range: 1...ServerLimits.maxPageSize)
                return try JSONResponse.make(try await accounts.auditRecords(entity: entity, limit: limit))
            },
        ]
    }
}
