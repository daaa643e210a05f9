import ArtifactStore
import Foundation

/// The JSON shapes the command line prints; documented in the README.
enum JSONOutput {
    /// A version as `show --json`, `ls --json` and `put --json` print it.
    struct Version: Encodable {
        var project: String
        var name: String
        var type: String
        var version: String
        var index: Int?
        var state: String
        var digest: String
        var aliases: [String]
        var size: Int64
        var fileCount: Int
        var addedBytes: Int64
        var description: String
        var metadata: [String: JSONValue]
        var createdAt: String
        var loggedBy: String?
        var damaged: String?
        var files: [ManifestEntry]?

        init(_ version: ArtifactVersion, files: [ManifestEntry]? = nil) {
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
            createdAt = JSONOutput.timestamp(version.createdAt)
            loggedBy = version.loggedBy
            damaged = version.damage
            self.files = files
        }

        func encode(to encoder: Encoder) throws {
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

    /// A project as `ls --json` prints it.
    struct Project: Encodable {
        var name: String
        var artifacts: Int
        var versions: Int
        var size: Int64
        var createdAt: String

        init(_ project: ProjectSummary) {
            name = project.name
            artifacts = project.artifactCount
            versions = project.versionCount
            size = project.size
            createdAt = JSONOutput.timestamp(project.createdAt)
        }
    }

    /// An artifact as `ls PROJECT --json` prints it.
    struct Artifact: Encodable {
        var project: String
        var name: String
        var type: String
        var versions: Int
        var latest: String?
        var size: Int64
        var storedBytes: Int64
        var updatedAt: String

        init(_ artifact: ArtifactSummary) {
            project = artifact.project
            name = artifact.name
            type = artifact.type
            versions = artifact.versionCount
            latest = artifact.latestIndex.map { "v\($0)" }
            size = artifact.latestSize
            storedBytes = artifact.storedBytes
            updatedAt = JSONOutput.timestamp(artifact.updatedAt)
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(project, forKey: .project)
            try container.encode(name, forKey: .name)
            try container.encode(type, forKey: .type)
            try container.encode(versions, forKey: .versions)
            try container.encode(latest, forKey: .latest)
            try container.encode(size, forKey: .size)
            try container.encode(storedBytes, forKey: .storedBytes)
            try container.encode(updatedAt, forKey: .updatedAt)
        }

        enum CodingKeys: String, CodingKey { case project, name, type, versions, latest, size, storedBytes, updatedAt }
    }

    /// Prints a value as indented JSON with sorted keys on stdout.
    static func print<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// An ISO 8601 UTC timestamp with milliseconds.
    static func timestamp(_ date: Date) -> String {
        timestampFormatter.string(from: date)
    }

    /// Made once: creating a formatter costs more than formatting a row.
    nonisolated(unsafe) private static let timestampFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
