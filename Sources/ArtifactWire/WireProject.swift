import ArtifactStore
import Foundation

/// A project's catalog summary as the server answers it and `ls --json` prints it.
public struct WireProjectSummary: Codable, Sendable, Equatable {
    public var name: String
    public var artifacts: Int
    public var versions: Int
    public var size: Int64
    public var createdAt: String

    /// Makes the shape of a core value.
    public init(_ project: ProjectSummary) {
        name = project.name
        artifacts = project.artifactCount
        versions = project.versionCount
        size = project.size
        createdAt = WireTimestamp.string(project.createdAt)
    }
}
