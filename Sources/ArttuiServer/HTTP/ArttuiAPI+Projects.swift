import ArtifactStore
import ArtifactWire
import Foundation
import Hummingbird

/// A project as the API shows it.
struct ProjectShape: Codable {
    var entity: String
    var name: String
    var path: String
    var visibility: Visibility
    var access: String

    init(_ project: ProjectRecord, access: Access) {
        entity = project.entity
        name = project.name
        path = project.path
        visibility = project.visibility
        self.access = "\(access)"
    }
}

/// The body of `POST /api/v1/projects`.
struct ProjectCreation: Codable {
    var entity: String
    var name: String
    var visibility: Visibility?
}

/// The body of `PATCH /api/v1/projects/{entity}/{project}`.
struct ProjectChange: Codable {
    var visibility: Visibility
}

extension ArttuiAPI {
    var projectRoutes: [APIRoute] {
        [
            APIRoute(method: .get, path: "/api/v1/projects") { _, context in
                let projects = try await accounts.projects().compactMap { project -> ProjectShape? in
                    let access = AccessPolicy.access(context.caller, to: project)
                    return access == .none ? nil : ProjectShape(project, access: access)
                }
                return try JSONResponse.make(projects)
            },
            APIRoute(method: .post, path: "/api/v1/projects") { request, context in
                let caller = try signedIn(context)
                let creation = try await RequestBodyReader.json(ProjectCreation.self, from: request)
                guard try await accounts.entityExists(creation.entity),
                      AccessPolicy.mayCreateProject(caller, in: creation.entity)
                else {
                    throw APIError.notFound("entity \(creation.entity)")
                }
                do {
                    try NameRules.validateProject(creation.name)
                    try NameRules.validateProject(ProjectRecord.catalogName(entity: creation.entity, project: creation.name))
                } catch {
                    throw APIError.from(error)
                }
                let project: ProjectRecord
                do {
                    project = try await accounts.createProject(
                        entity: creation.entity, name: creation.name, visibility: creation.visibility ?? .private)
                } catch {
                    throw APIError.from(error)
                }
                await audit(context, project, "project.create", "\(project.path) \(project.visibility.rawValue)")
                return try JSONResponse.make(
                    ProjectShape(project, access: AccessPolicy.access(caller, to: project)), status: .created)
            },
            APIRoute(method: .get, path: "/api/v1/projects/:entity/:project") { _, context in
                let project = try await self.project(context, needs: .read)
                return try JSONResponse.make(ProjectShape(project, access: AccessPolicy.access(context.caller, to: project)))
            },
            APIRoute(method: .patch, path: "/api/v1/projects/:entity/:project") { request, context in
                var project = try await self.project(context, needs: .admin)
                let change = try await RequestBodyReader.json(ProjectChange.self, from: request)
                try await accounts.setVisibility(projectID: project.id, change.visibility)
                await audit(context, project, "project.visibility", "\(project.path) \(change.visibility.rawValue)")
                project.visibility = change.visibility
                return try JSONResponse.make(ProjectShape(project, access: AccessPolicy.access(context.caller, to: project)))
            },
            APIRoute(method: .get, path: "/api/v1/projects/:entity/:project/artifacts") { _, context in
                let project = try await self.project(context, needs: .read)
                let artifacts = try await core(project) { [store] in
                    try store.catalog.artifacts(project: project.catalogName)
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
