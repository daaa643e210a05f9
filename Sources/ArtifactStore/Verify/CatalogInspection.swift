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
/// versions as damaged.
protocol InspectableCatalog: Catalog {
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
struct CatalogInspection: Sendable {
    /// A version in scope, with what its rows add up to.
    struct Version: Sendable {
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
    }

    /// A content in scope whose chunk list does not add up.
    struct ContentFault: Sendable {
        var digest: String
        var detail: String
    }

    /// A chunk in scope: where it is, and the contents that use it.
    struct Chunk: Sendable {
        var digest: String
        var location: ChunkLocation
        var contents: [String]
    }

    /// A pack the catalog lists: its recorded size and the bytes its chunk rows cover.
    struct Pack: Sendable {
        var key: String
        var size: Int64
        var liveBytes: Int64
        var chunkCount: Int
    }

    var versions: [Version]
    /// Content digest → ids of the versions in scope whose files use it.
    var contentUsers: [String: Set<Int64>]
    var contentFaults: [ContentFault]
    var chunks: [Chunk]
    var packs: [Pack]
}
