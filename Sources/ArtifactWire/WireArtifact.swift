import ArtifactStore
import Foundation

/// An artifact as the server answers it and `ls PROJECT --json` prints it.
public struct WireArtifact: Codable, Sendable, Equatable {
    public var project: String
    public var name: String
    public var type: String
    public var versions: Int
    @NullWhenAbsent public var latest: String?
    public var size: Int64
    public var storedBytes: Int64
    public var updatedAt: String

    /// Makes the shape of a core value.
    public init(_ artifact: ArtifactSummary) {
        project = artifact.project
        name = artifact.name
        type = artifact.type
        versions = artifact.versionCount
        latest = artifact.latestIndex.map { "v\($0)" }
        size = artifact.latestSize
        storedBytes = artifact.storedBytes
        updatedAt = WireTimestamp.string(artifact.updatedAt)
    }
}

extension WireArtifact {
    /// The core's value, as a client shows it (the wire carries no artifact description).
    public var summary: ArtifactSummary {
        ArtifactSummary(
            project: project, name: name, type: type, description: "", versionCount: versions, latestSize: size,
            storedBytes: storedBytes, latestIndex: latest.flatMap { Int($0.dropFirst()) },
            updatedAt: WireTimestamp.date(updatedAt) ?? Date(timeIntervalSince1970: 0))
    }
}
