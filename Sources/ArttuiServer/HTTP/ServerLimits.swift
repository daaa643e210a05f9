import ArtifactWire

/// The limits the server applies; each refusal is a 4xx whose detail names the limit.
public enum ServerLimits {
    /// Bytes of a JSON request body.
    public static let maxJSONBytes = 16 << 20
    /// Bytes of a commit's JSON body: a manifest of `maxFilesPerCommit` files takes about 180 bytes a
    /// file with 80-character paths (18 MB for 100,000), so a commit may be larger than other bodies;
    /// 64 MiB leaves room for paths of about 500 characters on average.
    public static let maxCommitJSONBytes = 64 << 20
    /// Nesting depth of a JSON request body.
    public static let maxJSONDepth = 64
    /// Bytes of one pack upload.
    public static let maxPackBytes = UploadLimits.maxPackBytes
    /// Digests in one missing-chunks query.
    public static let maxDigestsPerQuery = UploadLimits.maxDigestsPerQuery
    /// Files in one commit request or one part of a commit.
    public static let maxFilesPerCommit = UploadLimits.maxFilesPerCommit
    /// Parts sent before one commit.
    public static let maxPartsPerCommit = UploadLimits.maxPartsPerCommit
    /// Files in one page of a manifest (`GET …/manifest?limit=&after=`).
    public static let maxManifestPage = UploadLimits.maxFilesPerCommit
    /// Items in one page of a listing.
    public static let maxPageSize = 1000
    /// Hops a lineage query may follow in each direction.
    public static let maxLineageDepth = 20
    /// The largest chunk a pack may hold (the standard chunking's maximum is 8 MiB).
    public static let maxChunkBytes = 16 << 20
}
