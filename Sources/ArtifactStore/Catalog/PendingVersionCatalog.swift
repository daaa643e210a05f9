import Foundation

/// The catalog side of parallel writers: one pending version per artifact and distributed id that
/// every writer adds files to, until one finishes (commits) or discards it.
public protocol PendingVersionCatalog: Sendable {
    /// Adds files to the pending version of `upsert.name` for `upsert.distributedID`, creating it if
    /// there is none. A path already there with other content is refused (`StoreError.upsertConflict`).
    func upsert(_ upsert: PendingUpsert) throws -> UpsertOutcome
    /// Commits the pending version: it gets the next number and `latest`, and becomes visible.
    func finishPending(project: String, name: String, distributedID: String, producerRunID: String?) throws
        -> ArtifactVersion
    /// Deletes the pending version and the chunks only it used. Returns what was freed.
    func discardPending(project: String, name: String, distributedID: String) throws -> DeletionOutcome
}

/// Files for `PendingVersionCatalog.upsert`, as `VersionCommit` carries them for a commit.
public struct PendingUpsert: Sendable {
    /// The project, created if missing.
    public var project: String
    /// The artifact, created if missing.
    public var name: String
    /// The artifact's type; must match an existing artifact's.
    public var type: String
    /// The id every writer of the version shares.
    public var distributedID: String
    /// The run adding the files, if any; the first one becomes the version's producer unless the finishing run is.
    public var runID: String?
    /// The files to add.
    public var files: [ManifestEntry]
    /// Contents the files are made of.
    public var contents: [ContentRecord]
    /// Chunks written for this upsert, with their locations.
    public var newChunks: [StoredChunk]
    /// Packs written for this upsert.
    public var packs: [ObjectInfo]
}

/// What `PendingVersionCatalog.upsert` did.
public enum UpsertOutcome: Sendable {
    /// The files are in the pending version; `unusedChunks` were written but another writer stored them first.
    case added(ArtifactVersion, unusedChunks: [StoredChunk])
    /// Chunks this upsert relies on were deleted meanwhile; write them again and retry.
    case missingChunks(Set<String>)
}
