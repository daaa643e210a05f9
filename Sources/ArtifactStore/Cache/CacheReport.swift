/// How much the cache holds, as `arttui cache` prints it.
public struct CacheReport: Sendable, Codable, Equatable {
    /// Bytes of all cached files (temporary files excluded).
    public var bytes: Int64
    /// Number of cached files.
    public var files: Int
    /// The cache directory.
    public var path: String
    /// Usage per project, largest first; nil unless asked for.
    ///
    /// A file fetched by two projects (or two artifacts) counts in each of them, so these
    /// figures may add up to more than `bytes` and `files`.
    public var projects: [ProjectUsage]?

    /// Creates a report.
    public init(bytes: Int64, files: Int, path: String, projects: [ProjectUsage]?) {
        self.bytes = bytes
        self.files = files
        self.path = path
        self.projects = projects
    }
}

/// Cached files that one project fetched.
public struct ProjectUsage: Sendable, Codable, Equatable {
    /// The project's name.
    public var project: String
    /// Bytes of the distinct files of this project (a file shared by two of its artifacts counts once).
    public var bytes: Int64
    /// Number of distinct files of this project.
    public var files: Int
    /// Usage per artifact of the project, largest first; a shared file counts in each artifact.
    public var artifacts: [ArtifactUsage]

    /// Creates a project's usage.
    public init(project: String, bytes: Int64, files: Int, artifacts: [ArtifactUsage]) {
        self.project = project
        self.bytes = bytes
        self.files = files
        self.artifacts = artifacts
    }
}

/// Cached files that one artifact fetched.
public struct ArtifactUsage: Sendable, Codable, Equatable {
    /// The artifact's name.
    public var artifact: String
    /// Bytes of its cached files.
    public var bytes: Int64
    /// Number of its cached files.
    public var files: Int

    /// Creates an artifact's usage.
    public init(artifact: String, bytes: Int64, files: Int) {
        self.artifact = artifact
        self.bytes = bytes
        self.files = files
    }
}
