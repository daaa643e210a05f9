import ArtifactStore
import Foundation

/// A version as the server answers it and `show --json`, `ls --json` and `put --json` print it.
public struct WireVersion: Codable, Sendable, Equatable {
    public var project: String
    public var name: String
    public var type: String
    public var version: String
    @NullWhenAbsent public var index: Int?
    public var state: String
    public var digest: String
    public var aliases: [String]
    public var size: Int64
    public var fileCount: Int
    public var addedBytes: Int64
    public var description: String
    public var metadata: [String: JSONValue]
    public var createdAt: String
    @NullWhenAbsent public var loggedBy: String?
    public var damaged: String?
    public var files: [ManifestEntry]?

    /// Makes the shape of a core value.
    public init(_ version: ArtifactVersion, files: [ManifestEntry]? = nil) {
        project = version.project
        name = version.name
        type = version.type
        self.version = version.versionName
        index = version.index
        state = version.state.rawValue
        digest = version.digest
        aliases = version.aliases
        size = version.size
        fileCount = version.fileCount
        addedBytes = version.addedBytes
        description = version.description
        metadata = version.metadata
        createdAt = WireTimestamp.string(version.createdAt)
        loggedBy = version.loggedBy
        damaged = version.damage
        self.files = files
    }
}

extension WireVersion {
    /// `ENTITY/PROJECT/NAME:vN` (`PROJECT/NAME:vN` locally), as `ArtifactVersion.qualifiedName` writes it.
    public var qualifiedName: String { "\(project)/\(name):\(version)" }

    /// The core's value, as a client shows it. The catalog's row id is not on the wire; the version
    /// number stands in for it (-1 for a pending version), unique within one artifact.
    public var model: ArtifactVersion {
        var version = ArtifactVersion(
            id: Int64(index ?? -1), project: project, name: name, type: type, index: index, digest: digest,
            state: VersionState(rawValue: state) ?? .committed, createdAt: WireTimestamp.date(createdAt) ?? Date(timeIntervalSince1970: 0),
            size: size, fileCount: fileCount, addedBytes: addedBytes, description: description, metadata: metadata,
            aliases: aliases, loggedBy: loggedBy)
        version.damage = damaged
        return version
    }
}
