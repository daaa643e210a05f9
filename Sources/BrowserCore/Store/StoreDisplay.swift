import ArtifactStore

/// What deleting one version would free and which hand-set aliases stand in the way.
public struct DeletionPreview: Hashable, Sendable {
    /// Exact bytes the store would free (chunks no other version uses).
    public var freedBytes: Int64
    /// Aliases set by hand on the version (`latest` is not among them).
    public var manualAliases: [String]

    /// Creates a preview.
    public init(freedBytes: Int64, manualAliases: [String]) {
        self.freedBytes = freedBytes
        self.manualAliases = manualAliases
    }
}

/// The local download cache, measured.
public struct CacheSummary: Hashable, Sendable {
    /// Cached bytes on disk.
    public var totalBytes: Int64
    /// Cached files.
    public var fileCount: Int
    /// Per artifact, largest first.
    public var entries: [CacheEntry]

    /// Creates a summary.
    public init(totalBytes: Int64, fileCount: Int, entries: [CacheEntry]) {
        self.totalBytes = totalBytes
        self.fileCount = fileCount
        self.entries = entries
    }
}

/// What one artifact occupies in the cache.
public struct CacheEntry: Hashable, Sendable {
    /// The project.
    public var project: String
    /// The artifact.
    public var artifact: String
    /// Cached bytes.
    public var bytes: Int64
    /// Cached files.
    public var fileCount: Int

    /// Creates an entry.
    public init(project: String, artifact: String, bytes: Int64, fileCount: Int) {
        self.project = project
        self.artifact = artifact
        self.bytes = bytes
        self.fileCount = fileCount
    }
}


/// What a download wrote.
public struct DownloadSummary: Hashable, Sendable {
    /// The directory written into.
    public var root: String
    /// Files written or found already there.
    public var files: Int
    /// Their bytes.
    public var bytes: Int64

    /// Creates a summary.
    public init(root: String, files: Int, bytes: Int64) {
        self.root = root
        self.files = files
        self.bytes = bytes
    }
}
