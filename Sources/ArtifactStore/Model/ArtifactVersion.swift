import Foundation

/// Whether a version is still being filled by writers or has been committed.
public enum VersionState: String, Codable, Sendable {
    /// Files are being added (parallel writers); invisible to `get` and `ls`.
    case pending
    /// Immutable and visible.
    case committed
    /// Deleted: its files and aliases are gone; the record stays so lineage through it does not lie.
    case deleted
}

/// One immutable version of an artifact, as the catalog records it.
public struct ArtifactVersion: Hashable, Sendable, Identifiable {
    /// The catalog's identifier of this version; stable for its lifetime.
    public var id: Int64
    /// The project the artifact belongs to.
    public var project: String
    /// The artifact's name.
    public var name: String
    /// The artifact's type, such as `dataset` or `model`.
    public var type: String
    /// The version number: `0` for `v0`. `nil` while the version is pending.
    public var index: Int?
    /// SHA-256 over the version's sorted `path:digest` lines (hex).
    public var digest: String
    /// Pending or committed.
    public var state: VersionState
    /// When the version was created.
    public var createdAt: Date
    /// Sum of the sizes of its files, in bytes.
    public var size: Int64
    /// Number of files.
    public var fileCount: Int
    /// Bytes this version added to the store when it was committed (after dedup and compression).
    public var addedBytes: Int64
    /// Free text, editable after commit.
    public var description: String
    /// A JSON object, editable after commit.
    public var metadata: [String: JSONValue]
    /// Aliases, `latest` included when this is the newest committed version; sorted, `latest` first.
    public var aliases: [String]
    /// The id of the run that logged this version, if any.
    public var loggedBy: String?
    /// What `verify --repair` found wrong with its stored bytes; nil for a version not known to be damaged.
    public var damage: String? = nil

    /// `v3`, or `pending` while the version has no number yet.
    public var versionName: String { index.map { "v\($0)" } ?? "pending" }

    /// `project/name:v3`.
    public var qualifiedName: String { "\(project)/\(name):\(versionName)" }

    /// Aliases set by hand: all but `latest`.
    public var manualAliases: [String] { aliases.filter { $0 != Alias.latest } }

    /// Creates a version record.
    public init(
        id: Int64, project: String, name: String, type: String, index: Int?, digest: String,
        state: VersionState, createdAt: Date, size: Int64, fileCount: Int, addedBytes: Int64,
        description: String, metadata: [String: JSONValue], aliases: [String], loggedBy: String?
    ) {
        self.id = id
        self.project = project
        self.name = name
        self.type = type
        self.index = index
        self.digest = digest
        self.state = state
        self.createdAt = createdAt
        self.size = size
        self.fileCount = fileCount
        self.addedBytes = addedBytes
        self.description = description
        self.metadata = metadata
        self.aliases = aliases
        self.loggedBy = loggedBy
    }
}

/// One file of a version: its path inside the artifact, the SHA-256 of its content, its size; or,
/// for a reference entry, where the bytes live and the checksum they had when it was recorded.
public struct ManifestEntry: Hashable, Sendable, Codable {
    /// Artifact-relative POSIX path, never absolute and never containing `..`.
    public var path: String
    /// SHA-256 of the whole content (hex); for a reference, its checksum as `ReferenceChecksum` text.
    public var digest: String
    /// Size in bytes.
    public var size: Int64
    /// Where the bytes live when the store does not hold them; nil for a stored file.
    public var reference: FileReference?

    /// Creates an entry.
    public init(path: String, digest: String, size: Int64, reference: FileReference? = nil) {
        self.path = path
        self.digest = digest
        self.size = size
        self.reference = reference
    }

    /// Whether the store holds the bytes (false for a reference entry).
    public var isStored: Bool { reference == nil }
}

/// A project and what it holds, for listings.
public struct ProjectSummary: Hashable, Sendable, Codable {
    /// The project's name.
    public var name: String
    /// Number of artifacts in it.
    public var artifactCount: Int
    /// Number of committed versions over all its artifacts.
    public var versionCount: Int
    /// Sum of the logical sizes of its committed versions.
    public var size: Int64
    /// When the project was created.
    public var createdAt: Date
    /// Who may see it on a team server: `private`, `public` or `open`; nil in a local store, which
    /// has no visibility.
    public var visibility: String?
    /// What the caller may do with it on a team server: `read`, `write` or `admin`; nil in a local
    /// store, where whoever can open the store may change it.
    public var access: String?

    /// Creates a summary.
    public init(name: String, artifactCount: Int, versionCount: Int, size: Int64, createdAt: Date,
                visibility: String? = nil, access: String? = nil) {
        self.name = name
        self.artifactCount = artifactCount
        self.versionCount = versionCount
        self.size = size
        self.createdAt = createdAt
        self.visibility = visibility
        self.access = access
    }

    /// Whether the caller may read it but change nothing in it (a viewer's project on a server).
    public var isReadOnly: Bool { access == "read" }
}

/// An artifact and what it holds, for listings.
public struct ArtifactSummary: Hashable, Sendable, Codable {
    /// The project it belongs to.
    public var project: String
    /// Its name.
    public var name: String
    /// Its type.
    public var type: String
    /// Its description (of the artifact, not of a version).
    public var description: String
    /// Number of committed versions.
    public var versionCount: Int
    /// Logical size of the newest committed version, 0 when it has none.
    public var latestSize: Int64
    /// Sum of the bytes its committed versions added to the store.
    public var storedBytes: Int64
    /// The newest committed version number, if any.
    public var latestIndex: Int?
    /// When its newest version was created, or the artifact itself when it has none.
    public var updatedAt: Date

    /// Creates a summary.
    public init(
        project: String, name: String, type: String, description: String, versionCount: Int,
        latestSize: Int64, storedBytes: Int64, latestIndex: Int?, updatedAt: Date
    ) {
        self.project = project
        self.name = name
        self.type = type
        self.description = description
        self.versionCount = versionCount
        self.latestSize = latestSize
        self.storedBytes = storedBytes
        self.latestIndex = latestIndex
        self.updatedAt = updatedAt
    }
}

extension ArtifactVersion {
    /// Where `arttui get` writes the version without `--root`: `artifacts/NAME:vN`.
    public var defaultDownloadDirectory: String { "artifacts/\(name):\(versionName)" }
}
