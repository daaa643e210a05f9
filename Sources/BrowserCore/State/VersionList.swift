import ArtifactStore

/// Identifies an artifact across projects.
public struct ArtifactKey: Hashable, Sendable {
    public var project: String
    public var artifact: String

    /// Creates a key.
    public init(project: String, artifact: String) {
        self.project = project
        self.artifact = artifact
    }
}

/// The versions of one artifact as far as they are loaded: a count and pages of rows.
///
/// Only pages that come on screen are asked for, so an artifact with 100,000 versions costs a
/// count and a page or two.
public struct VersionList: Hashable, Sendable {
    /// Rows per page asked of the store.
    public static let pageSize = 64

    /// Number of versions, once known.
    public var count: Int?
    /// Whether the count has been asked for.
    var countRequested = false
    /// Loaded pages by page number.
    var pages: [Int: [ArtifactVersion]] = [:]
    /// Column widths each loaded page needs (`VersionsPaneView.widths(of:)`), measured once
    /// when it arrives rather than on every frame.
    var pageWidths: [Int: [Int]] = [:]
    /// Pages asked for and not yet arrived.
    var requestedPages: Set<Int> = []
    /// The active filter's matches, when a filter is set and its scan has finished.
    var filtered: [ArtifactVersion]?

    /// The version at a newest-first offset, if its page is loaded.
    func version(at offset: Int) -> ArtifactVersion? {
        let page = offset / Self.pageSize
        guard let rows = pages[page] else { return nil }
        let index = offset - page * Self.pageSize
        return index < rows.count ? rows[index] : nil
    }
}

/// The files of one version as far as they are loaded.
public struct FileList: Hashable, Sendable {
    /// Files per request.
    public static let pageSize = 200

    /// Loaded files, sorted by path.
    var files: [ManifestEntry] = []
    /// Whether a request is out.
    var loading = false
    /// Whether the last page came back short, so there are no more.
    var complete = false
}
