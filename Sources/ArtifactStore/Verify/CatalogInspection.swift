import Foundation

/// Which versions `verify` checks.
public enum VerificationScope: Hashable, Sendable {
    /// Every version, and the storage as a whole (orphans included).
    case store
    /// The versions of one project.
    case project(String)
    /// The versions of one artifact.
    case artifact(project: String, name: String)
    /// One version, by catalog id.
    case version(id: Int64)
}

/// A catalog that can show `verify` everything it records, in one consistent snapshot, and mark
/// versions as damaged. Catalogs in other modules (the PostgreSQL one) conform to it too.
public protocol InspectableCatalog: Catalog {
    /// What the catalog records for the versions in `scope` and for every pack.
    func inspect(_ scope: VerificationScope) throws -> CatalogInspection
    /// Problems the database engine finds in its own file; empty when it is sound.
    func integrityProblems() throws -> [String]
    /// Where a chunk is now, or nil when the catalog no longer has it (to tell damage from a concurrent move).
    func location(ofChunk digest: String) throws -> ChunkLocation?
    /// Records that versions are damaged, with what is wrong; healthy versions are never touched.
    func markDamaged(_ details: [Int64: String]) throws
}

/// A snapshot of the catalog, as `verify` compares it with the storage.
public struct CatalogInspection: Sendable {
    /// A version in scope, with what its rows add up to.
    public struct Version: Sendable {
        var id: Int64
        var qualifiedName: String
        var state: VersionState
        /// What `verify --repair` recorded before, if anything.
        var damage: String?
        /// Recorded file count, size and manifest digest.
        var recordedFileCount: Int
        var recordedSize: Int64
        var recordedDigest: String
        /// The files the catalog holds for it.
        var files: [ManifestEntry]

        /// Creates a version's record.
        public init(
            id: Int64, qualifiedName: String, state: VersionState, damage: String?, recordedFileCount: Int,
            recordedSize: Int64, recordedDigest: String, files: [ManifestEntry]
        ) {
            self.id = id
            self.qualifiedName = qualifiedName
            self.state = state
            self.damage = damage
            self.recordedFileCount = recordedFileCount
            self.recordedSize = recordedSize
            self.recordedDigest = recordedDigest
            self.files = files
        }
    }

    /// A content in scope whose chunk list does not add up.
    public struct ContentFault: Sendable {
        var digest: String
        var detail: String

        /// Creates a fault.
        public init(digest: String, detail: String) {
            self.digest = digest
            self.detail = detail
        }
    }

    /// A chunk in scope: where it is, and the contents that use it.
    public struct Chunk: Sendable {
        var digest: String
        var location: ChunkLocation
        var contents: [String]

        /// Creates a chunk's record.
        public init(digest: String, location: ChunkLocation, contents: [String]) {
            self.digest = digest
            self.location = location
            self.contents = contents
        }
    }

    /// A pack the catalog lists: its recorded size and the bytes its chunk rows cover.
    public struct Pack: Sendable {
        var key: String
        var size: Int64
        var liveBytes: Int64
        var chunkCount: Int

        /// Creates a pack's record.
        public init(key: String, size: Int64, liveBytes: Int64, chunkCount: Int) {
            self.key = key
            self.size = size
            self.liveBytes = liveBytes
            self.chunkCount = chunkCount
        }
    }

    var versions: [Version]
    /// Content digest → ids of the versions in scope whose files use it.
    var contentUsers: [String: Set<Int64>]
    var contentFaults: [ContentFault]
    var chunks: [Chunk]
    var packs: [Pack]

    /// Creates a snapshot.
    public init(
        versions: [Version], contentUsers: [String: Set<Int64>], contentFaults: [ContentFault], chunks: [Chunk],
        packs: [Pack]
    ) {
        self.versions = versions
        self.contentUsers = contentUsers
        self.contentFaults = contentFaults
        self.chunks = chunks
        self.packs = packs
    }
}
