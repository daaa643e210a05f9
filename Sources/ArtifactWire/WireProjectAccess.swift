import ArtifactStore
import Foundation

/// A project on a team server with its visibility and the caller's access to it, as the server answers
/// it and `project ls --json` prints it.
public struct WireProject: Codable, Sendable, Equatable {
    /// The user or team that owns it.
    public var entity: String
    /// The project's name within the entity.
    public var name: String
    /// `ENTITY/PROJECT`.
    public var path: String
    /// `private`, `public` or `open`.
    public var visibility: String
    /// What the caller may do: `read`, `write` or `admin`.
    public var access: String
    /// In the project listing: how many artifacts it holds.
    public var artifacts: Int?
    /// In the project listing: committed versions in all.
    public var versions: Int?
    /// In the project listing: bytes of all committed versions.
    public var size: Int64?
    /// In the project listing: when its first version was stored; nil while it has none.
    public var createdAt: String?

    /// Creates the shape.
    public init(entity: String, name: String, visibility: String, access: String) {
        self.entity = entity
        self.name = name
        path = "\(entity)/\(name)"
        self.visibility = visibility
        self.access = access
    }

    /// The core's summary of the project, named `ENTITY/PROJECT` and with its visibility (zeros for a
    /// listing without counts).
    public var summary: ProjectSummary {
        ProjectSummary(
            name: path, artifactCount: artifacts ?? 0, versionCount: versions ?? 0, size: size ?? 0,
            createdAt: createdAt.flatMap(WireTimestamp.date) ?? Date(timeIntervalSince1970: 0), visibility: visibility,
            access: access)
    }
}

/// The body of `POST /api/v1/projects`.
public struct WireProjectCreation: Codable, Sendable, Equatable {
    public var entity: String
    public var name: String
    /// `private` (the default), `public` or `open`.
    public var visibility: String?

    /// Creates the body.
    public init(entity: String, name: String, visibility: String? = nil) {
        self.entity = entity
        self.name = name
        self.visibility = visibility
    }
}

/// The body of `PATCH /api/v1/projects/{entity}/{project}`.
public struct WireProjectChange: Codable, Sendable, Equatable {
    public var visibility: String

    /// Creates the body.
    public init(visibility: String) { self.visibility = visibility }
}
