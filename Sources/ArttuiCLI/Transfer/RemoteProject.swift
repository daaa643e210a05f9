import Foundation

/// `ENTITY/PROJECT` on a team server, with the API paths under it.
struct RemoteProject: Equatable, CustomStringConvertible {
    /// The user or team.
    var entity: String
    /// The project within the entity.
    var project: String

    /// `/api/v1/projects/ENTITY/PROJECT`.
    var apiPath: String { "/api/v1/projects/\(pathSegment(entity))/\(pathSegment(project))" }

    /// The API path of an artifact's version (`vN`, an alias or `latest`).
    func versionPath(artifact: String, version: String) -> String {
        "\(apiPath)/artifacts/\(pathSegment(artifact))/versions/\(pathSegment(version))"
    }

    var description: String { "\(entity)/\(project)" }

    /// The project of an artifact address, the signed-in user's entity when it leaves one out.
    static func of(_ address: ServerArtifactAddress, client: ServerClient) throws -> RemoteProject {
        RemoteProject(entity: try address.entity ?? client.whoami().name, project: address.project)
    }

    /// A project path, the signed-in user's entity when it leaves one out.
    static func of(_ path: ServerProjectPath, client: ServerClient) throws -> RemoteProject {
        let (entity, project) = try path.resolved { try client.whoami().name }
        return RemoteProject(entity: entity, project: project)
    }
}
