import ArtifactStore
import Foundation

/// A version as the server answers it and `show --json`, `ls --json` and `put --json` print it.
public struct WireVersion: Codable, Sendable, Equatable {
    public var project: String
    public var name: String
    public var type: String
    public var version: String
    public var index: Int?
    public var state: String
    public var digest: String
    public var aliases: [String]
    public var size: Int64
    public var fileCount: Int
    public var addedBytes: Int64
    public var description: String
    public var metadata: [String: JSONValue]
    public var createdAt: String
    public var loggedBy: String?
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

    /// Encodes every field, absent optionals as null (but `damaged` and `files`, left out).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(project, forKey: .project)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(version, forKey: .version)
        try container.encode(index, forKey: .index)
        try container.encode(state, forKey: .state)
        try container.encode(digest, forKey: .digest)
        try container.encode(aliases, forKey: .aliases)
        try container.encode(size, forKey: .size)
        try container.encode(fileCount, forKey: .fileCount)
        try container.encode(addedBytes, forKey: .addedBytes)
        try container.encode(description, forKey: .description)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(loggedBy, forKey: .loggedBy)
        try container.encodeIfPresent(damaged, forKey: .damaged)
        try container.encodeIfPresent(files, forKey: .files)
    }

    enum CodingKeys: String, CodingKey {
        case project, name, type, version, index, state, digest, aliases, size, fileCount, addedBytes,
            description, metadata, createdAt, loggedBy, damaged, files
    }
}

extension WireVersion {
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
