import Foundation

/// The store's record of projects, artifacts, versions, aliases, manifests and where each chunk lives.
///
/// The embedded store keeps it in SQLite (`SQLiteCatalog`); a team store can keep it in PostgreSQL.
/// Every method is one transaction: a version becomes visible, changes or goes in one step, and
/// concurrent callers (other processes included) see either all of a change or none of it.
public protocol Catalog: RunCatalog, PendingVersionCatalog {
    // MARK: Reading

    /// All projects, by name.
    func projects() throws -> [ProjectSummary]
    /// The type of an artifact, or nil when it does not exist yet.
    func artifactType(project: String, name: String) throws -> String?
    /// The artifacts of a project, by type then name.
    func artifacts(project: String) throws -> [ArtifactSummary]
    /// The versions of an artifact in the given states, newest first, a page at a time.
    func versions(project: String, name: String, states: Set<VersionState>, offset: Int, limit: Int) throws
        -> [ArtifactVersion]
    /// How many versions in the given states an artifact has.
    func versionCount(project: String, name: String, states: Set<VersionState>) throws -> Int
    /// A page of `versions` with `versionCount`: what a listing shows. A catalog on a database server
    /// answers it in one round trip; the default asks the two in turn.
    func versionPage(project: String, name: String, states: Set<VersionState>, offset: Int, limit: Int) throws
        -> (versions: [ArtifactVersion], total: Int)
    /// Where committed version `index` sits in the newest-first list (0 for the newest), or nil.
    func versionPosition(project: String, name: String, index: Int) throws -> Int?
    /// The committed version an address points at.
    func version(project: String, name: String, reference: ArtifactAddress.Reference) throws -> ArtifactVersion
    /// A version by its catalog id.
    func version(id: Int64) throws -> ArtifactVersion
    /// The files of a version, by path, a page at a time: those after the path `after` (all when nil),
    /// skipping `offset` of them. A page that starts after the last path of the one before costs the
    /// same wherever it is; an offset makes the catalog walk every file before it.
    func manifest(versionID: Int64, after: String?, offset: Int, limit: Int) throws -> [ManifestEntry]
    /// The chunks a file's content is made of, in order, with where each is stored.
    func chunkLocations(contentDigest: String) throws -> [StoredChunk]
    /// The chunks of every file content in a version, keyed by content digest, each list in order:
    /// what a restore reads, fetched at once instead of file by file.
    func chunkLocations(versionID: Int64) throws -> [String: [StoredChunk]]
    /// The same chunk lists as `chunkLocations(versionID:)`, held compactly for a restore that looks
    /// them up file by file (see ``ContentChunkTable``), ready for look-ups.
    func chunkTable(versionID: Int64) throws -> ContentChunkTable
    /// The chunks of each of `contentDigests`, keyed by content digest, each list in order; a content of
    /// no chunks (or none stored) is left out. What a page of a large version's manifest names, read
    /// in one go instead of content by content.
    func chunkLocations(contentDigests: [String]) throws -> [String: [StoredChunk]]
    /// Where the chunks `chunkDigests` of a version are stored, by chunk digest; a chunk the version
    /// does not hold is left out. What a server answers a client's request for some of a version's
    /// chunks with, without reading the locations of all the others each time.
    func chunkLocations(versionID: Int64, chunkDigests: [String]) throws -> [String: StoredChunk]
    /// The first 64 bits of every stored chunk's digest: a writer's quick test of what the store has.
    func chunkDigestPrefixes() throws -> Set<UInt64>

    // MARK: Writing

    /// Makes a version visible in one transaction, or reports why it cannot.
    func commit(_ commit: VersionCommit) throws -> CommitOutcome
    /// Points an alias at a version, moving it from another version of the artifact if one holds it.
    /// Returns the version it moved from, if any.
    func setAlias(_ alias: String, versionID: Int64) throws -> ArtifactVersion?
    /// Removes an alias from a version.
    func removeAlias(_ alias: String, versionID: Int64) throws
    /// Changes a committed version's description and/or metadata.
    func updateVersion(id: Int64, description: String?, metadata: [String: JSONValue]?) throws

    // MARK: Deleting

    /// What deleting these versions would free, exactly, without changing anything.
    func deletionPlan(versionIDs: [Int64]) throws -> DeletionPlan
    /// Deletes versions (refusing those with hand-set aliases unless `deleteAliases`), their manifests,
    /// and the chunks nothing else uses. Returns the packs that now hold dead bytes, which it marks, in
    /// the same transaction, as left to compact (`packsToCompact`) until compaction removes them.
    func delete(versionIDs: [Int64], deleteAliases: Bool) throws -> DeletionOutcome

    // MARK: Packs

    /// The chunks a pack holds that are still in use.
    func liveChunks(packKey: String) throws -> [StoredChunk]
    /// Records that live chunks moved to a new pack; returns whether the old pack now holds no chunk
    /// (true too when the catalog no longer knows it). The old pack stays listed until `forgetPacks`,
    /// called once its object is deleted: a pack whose object could not be deleted is never forgotten.
    /// The new pack is recorded even when the old one is gone (another process's compaction of it
    /// finished first): it then holds no chunk, and the next deletion deletes it like any emptied pack,
    /// where leaving it out would have left its object in the bucket with nothing to remember it.
    func relocate(_ moves: [String: ChunkLocation], to newPack: ObjectInfo?, from oldPackKey: String) throws
        -> Bool
    /// Which of `keys` hold no chunk, in one read: the packs a deletion emptied (and keys the catalog no
    /// longer knows, which hold none either). Compaction deletes these without rewriting anything.
    func emptyPacks(among keys: [String]) throws -> Set<String>
    /// Forgets, in one transaction, the packs of `keys` that hold no chunk, once their objects are gone;
    /// returns the keys the catalog no longer knows afterwards. A pack a chunk is in stays, unchanged.
    @discardableResult
    func forgetPacks(keys: [String]) throws -> Set<String>
    /// The packs a deletion left that compaction has not finished: marked by `delete` and not yet
    /// rewritten (the object store failed or hung mid-rewrite, or the process ended first), or emptied
    /// and not yet deleted from the object store. The next deletion retries them.
    func packsToCompact() throws -> [ObjectInfo]
    /// Every pack the catalog knows, with its size.
    func packs() throws -> [ObjectInfo]
}

/// A chunk with its digest and location.
public struct StoredChunk: Hashable, Sendable {
    /// SHA-256 of the raw chunk (hex).
    public var digest: String
    /// Where its record is.
    public var location: ChunkLocation

    /// Creates a chunk record.
    public init(digest: String, location: ChunkLocation) {
        self.digest = digest
        self.location = location
    }
}

/// A file content to record: its digest and size and the chunks it is made of, in order.
public struct ContentRecord: Hashable, Sendable {
    /// SHA-256 of the whole content (hex).
    public var digest: String
    /// Size in bytes.
    public var size: Int64
    /// Digests of its chunks, in order.
    public var chunks: [String]

    /// Creates a record.
    public init(digest: String, size: Int64, chunks: [String]) {
        self.digest = digest
        self.size = size
        self.chunks = chunks
    }
}

/// Everything `Catalog.commit` needs to make a version visible.
public struct VersionCommit: Sendable {
    /// The project, created if missing.
    public var project: String
    /// The artifact, created if missing.
    public var name: String
    /// The artifact's type; must match an existing artifact's.
    public var type: String
    /// The version's description.
    public var description: String
    /// The version's metadata.
    public var metadata: [String: JSONValue]
    /// Hand-set aliases to point at the version.
    public var aliases: [String]
    /// The run that logged it, if any.
    public var producerRunID: String?
    /// The manifest digest of every batch's files.
    public var digest: String
    /// The files, their contents and the chunks written for them, a batch at a time, recorded in one
    /// transaction: a batch's chunks are new to the store or in it already, or nothing is recorded.
    public var batches: CommitBatches
    /// Packs written by this commit: every batch's new chunks are in them.
    public var packs: [ObjectInfo]

    /// Creates a commit of files given as batches.
    public init(
        project: String, name: String, type: String, description: String, metadata: [String: JSONValue],
        aliases: [String], producerRunID: String?, digest: String, batches: CommitBatches, packs: [ObjectInfo]
    ) {
        self.project = project
        self.name = name
        self.type = type
        self.description = description
        self.metadata = metadata
        self.aliases = aliases
        self.producerRunID = producerRunID
        self.digest = digest
        self.batches = batches
        self.packs = packs
    }

    /// Creates a commit of files held in memory: one batch.
    public init(
        project: String, name: String, type: String, description: String, metadata: [String: JSONValue],
        aliases: [String], producerRunID: String?, digest: String, files: [ManifestEntry],
        contents: [ContentRecord], newChunks: [StoredChunk], packs: [ObjectInfo]
    ) {
        self.init(
            project: project, name: name, type: type, description: description, metadata: metadata,
            aliases: aliases, producerRunID: producerRunID, digest: digest,
            batches: .one(CommitBatch(files: files, contents: contents, newChunks: newChunks)), packs: packs)
    }
}

/// What `Catalog.commit` did.
public enum CommitOutcome: Sendable {
    /// A new version; `unusedChunks` were written but another writer stored them first.
    case created(ArtifactVersion, unusedChunks: [StoredChunk])
    /// The content equals the newest version's; the aliases were applied to it.
    case unchanged(ArtifactVersion)
    /// Chunks this commit relies on were deleted meanwhile; write them again and retry.
    case missingChunks(Set<String>)
}

/// What deleting versions would do.
public struct DeletionPlan: Hashable, Sendable {
    /// The versions that would go.
    public var versions: [ArtifactVersion]
    /// Bytes the store would shrink by: exactly the records of chunks nothing else uses.
    public var freedBytes: Int64
    /// How many chunks would go.
    public var freedChunks: Int
    /// After a deletion: the packs holding its freed bytes that the object store did not finish
    /// rewriting or deleting (it failed or hung), and its error. Nothing visible depends on them:
    /// the catalog keeps them listed, `verify` counts their bytes as reclaimable, and the next
    /// deletion (an emptied pack) or `verify --repair` (any) finishes the job.
    public var packsLeft = 0
    /// Why the object store did not finish, when `packsLeft` is not empty.
    public var objectStoreError: String?

    /// Creates a plan.
    public init(versions: [ArtifactVersion], freedBytes: Int64, freedChunks: Int) {
        self.versions = versions
        self.freedBytes = freedBytes
        self.freedChunks = freedChunks
    }
}

/// What a deletion did in the catalog; the store then compacts `packsToCompact`.
public struct DeletionOutcome: Sendable {
    /// The versions deleted, as they were.
    public var plan: DeletionPlan
    /// Packs that now hold records of deleted chunks.
    public var packsToCompact: [String]

    /// Creates an outcome.
    public init(plan: DeletionPlan, packsToCompact: [String]) {
        self.plan = plan
        self.packsToCompact = packsToCompact
    }
}

extension Catalog {
    public func versionPage(project: String, name: String, states: Set<VersionState>, offset: Int, limit: Int) throws
        -> (versions: [ArtifactVersion], total: Int)
    {
        (
            try versions(project: project, name: name, states: states, offset: offset, limit: limit),
            try versionCount(project: project, name: name, states: states)
        )
    }

    /// One query per content: cheap for an embedded catalog, whose queries make no round trip.
    public func chunkLocations(contentDigests: [String]) throws -> [String: [StoredChunk]] {
        var lists: [String: [StoredChunk]] = [:]
        for digest in Set(contentDigests) {
            let chunks = try chunkLocations(contentDigest: digest)
            if !chunks.isEmpty { lists[digest] = chunks }
        }
        return lists
    }

    public func chunkTable(versionID: Int64) throws -> ContentChunkTable {
        var table = ContentChunkTable(try chunkLocations(versionID: versionID))
        table.finish()
        return table
    }

    public func chunkLocations(versionID: Int64, chunkDigests: [String]) throws -> [String: StoredChunk] {
        let wanted = Set(chunkDigests)
        var found: [String: StoredChunk] = [:]
        for chunk in try chunkLocations(versionID: versionID).values.joined() where wanted.contains(chunk.digest) {
            found[chunk.digest] = chunk
        }
        return found
    }
}

extension Catalog {
    /// The files of a version, by path, `limit` of them after the first `offset`.
    public func manifest(versionID: Int64, offset: Int, limit: Int) throws -> [ManifestEntry] {
        try manifest(versionID: versionID, after: nil, offset: offset, limit: limit)
    }
}
