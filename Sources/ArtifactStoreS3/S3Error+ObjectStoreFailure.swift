import ArtifactStore
import S3Client

/// The bucket failing (unreachable, hung, a 5xx after every retry, a missing bucket, refused
/// credentials) is an outage of the store; a missing object or a malformed answer about one is not.
extension S3Error: ObjectStoreFailure {
    public var isOutage: Bool {
        isTransient || kind == .noSuchBucket || kind == .accessDenied
    }
}
