import ArtifactStore
import Foundation

/// `POST …/chunks/missing`: which of these chunk digests must the client upload?
public struct MissingChunksRequest: Codable, Sendable, Equatable {
    /// SHA-256 digests of chunks (hex), at most `UploadLimits.maxDigestsPerQuery`.
    public var digests: [String]
    /// An upload being resumed: chunks already staged in it count as present.
    public var upload: String?

    /// Creates a query.
    public init(digests: [String], upload: String? = nil) {
        self.digests = digests
        self.upload = upload
    }
}

/// The answer to `MissingChunksRequest`: the digests the store lacks, or holds only where the caller
/// may not read them.
public struct MissingChunksResponse: Codable, Sendable, Equatable {
    /// The digests to upload, in the order asked.
    public var missing: [String]

    /// Creates an answer.
    public init(missing: [String]) { self.missing = missing }
}

/// `POST …/uploads`: a new upload to stage packs in.
public struct UploadCreated: Codable, Sendable, Equatable {
    /// The upload's id, to name in pack uploads and the commit.
    public var upload: String

    /// Creates the answer.
    public init(upload: String) { self.upload = upload }
}

/// `PUT …/uploads/{upload}/packs`: what the server stored of one pack.
public struct PackAccepted: Codable, Sendable, Equatable {
    /// Chunk records checked and staged.
    public var chunks: Int
    /// Bytes of the pack.
    public var bytes: Int64

    /// Creates the answer.
    public init(chunks: Int, bytes: Int64) {
        self.chunks = chunks
        self.bytes = bytes
    }
}

/// The answer to a part: what the server holds for it until the commit.
public struct PartAccepted: Codable, Sendable, Equatable {
    /// The part's number.
    public var part: Int
    /// Files in it.
    public var files: Int

    /// Creates the answer.
    public init(part: Int, files: Int) {
        self.part = part
        self.files = files
    }
}

/// One file content of an upload: its digest, size and chunk digests in order.
public struct WireContent: Codable, Sendable, Equatable {
    /// SHA-256 of the content (hex); for a content of one chunk, that chunk's digest.
    public var digest: String
    /// Bytes.
    public var size: Int64
    /// The chunk digests, in order.
    public var chunks: [String]

    /// Creates a content.
    public init(digest: String, size: Int64, chunks: [String]) {
        self.digest = digest
        self.size = size
        self.chunks = chunks
    }

    /// The core's record of it.
    public var record: ContentRecord { ContentRecord(digest: digest, size: size, chunks: chunks) }
}

/// `POST …/uploads/{upload}/commit`: the manifest that makes a version visible.
public struct CommitRequest: Codable, Sendable, Equatable {
    /// The artifact's name.
    public var artifact: String
    /// The artifact's type.
    public var type: String
    /// The version's description.
    public var description: String?
    /// The version's metadata.
    public var metadata: [String: JSONValue]?
    /// Hand-set aliases.
    public var aliases: [String]?
    /// The run that logged it.
    public var run: String?
    /// The files, by path.
    public var files: [ManifestEntry]
    /// The contents the files name.
    public var contents: [WireContent]
    /// When set, the files go to the pending version every writer with this id shares (upsert), not a new version.
    public var distributedID: String?
    /// How many parts (`CommitPart`, numbered from 0) were sent to the upload before this commit: their
    /// files come before this request's. Absent or 0 for a commit in one request.
    public var parts: Int?

    /// Creates a commit.
    public init(
        artifact: String, type: String, description: String? = nil, metadata: [String: JSONValue]? = nil,
        aliases: [String]? = nil, run: String? = nil, files: [ManifestEntry], contents: [WireContent],
        distributedID: String? = nil, parts: Int? = nil
    ) {
        self.distributedID = distributedID
        self.parts = parts
        self.artifact = artifact
        self.type = type
        self.description = description
        self.metadata = metadata
        self.aliases = aliases
        self.run = run
        self.files = files
        self.contents = contents
    }
}

/// The answer to a commit.
public struct CommitResponse: Codable, Sendable, Equatable {
    /// False when the content equalled the newest version's and no version was made.
    public var created: Bool
    /// The version the content now lives in.
    public var version: WireVersion

    /// Creates the answer.
    public init(created: Bool, version: WireVersion) {
        self.created = created
        self.version = version
    }
}

/// A version's manifest with each content's chunks: what a client needs to restore and verify it.
public struct WireManifest: Codable, Sendable, Equatable {
    /// The version.
    public var version: WireVersion
    /// The files, by path.
    public var files: [ManifestEntry]
    /// Every content the files name, with its chunks in order.
    public var contents: [WireContent]
    /// For a page (`GET …/manifest?offset=&limit=`): the files before it. Absent from a whole manifest,
    /// and from the answer of a server older than pages, which sends every file whatever is asked.
    public var offset: Int?

    /// Creates a manifest.
    public init(version: WireVersion, files: [ManifestEntry], contents: [WireContent], offset: Int? = nil) {
        self.version = version
        self.files = files
        self.contents = contents
        self.offset = offset
    }
}

extension WireManifest {
    /// The manifest of `version` from its files and the chunk lists of its contents (a catalog's
    /// `chunkLocations(versionID:)`): one content per digest, sorted, an empty file a content of no chunks.
    public init(version: WireVersion, files: [ManifestEntry], chunkLists: [String: [StoredChunk]]) {
        var contents = chunkLists.map { digest, chunks in
            WireContent(digest: digest, size: chunks.reduce(0) { $0 + Int64($1.location.rawLength) }, chunks: chunks.map(\.digest))
        }
        // An empty file is a content of no chunks, so the chunk lists do not name it.
        for digest in Set(files.filter { $0.isStored && $0.size == 0 && chunkLists[$0.digest] == nil }.map(\.digest)) {
            contents.append(WireContent(digest: digest, size: 0, chunks: []))
        }
        self.init(version: version, files: files, contents: contents.sorted { $0.digest < $1.digest })
    }
}

/// The limits a server applies to the upload protocol; requests past one are refused with a 4xx naming it.
public enum UploadLimits {
    /// Digests in one `chunks/missing` query.
    public static let maxDigestsPerQuery = 10_000
    /// Bytes of one pack upload.
    public static let maxPackBytes = 64 << 20
    /// Files in one commit request or one part of a commit.
    public static let maxFilesPerCommit = 100_000
    /// Parts sent before one commit: a version holds at most `(maxPartsPerCommit + 1) * maxFilesPerCommit` files.
    public static let maxPartsPerCommit = 1_000
}

/// `POST …/versions/{version}/chunks`: the stored records of chunks of that version, in the order
/// asked (`application/octet-stream`, the pack-record format; the client checks every record).
public struct ChunkRecordsRequest: Codable, Sendable, Equatable {
    /// Digests in one request.
    public static let maxDigests = 1_000

    /// SHA-256 digests of chunks of the version (hex).
    public var digests: [String]

    /// Creates a query.
    public init(digests: [String]) { self.digests = digests }
}
