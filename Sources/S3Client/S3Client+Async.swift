import Foundation

/// The same operations for async callers: each runs the blocking request on a dispatch queue, so
/// no Swift concurrency thread waits on the network.
extension S3Client {
    /// Creates a bucket; succeeds when this account already owns it.
    public func createBucket(_ bucket: String) async throws(S3Error) {
        try await offload { client throws(S3Error) in try client.createBucket(bucket) }
    }

    /// Checks that a bucket exists and the credentials may use it.
    public func headBucket(_ bucket: String) async throws(S3Error) {
        try await offload { client throws(S3Error) in try client.headBucket(bucket) }
    }

    /// An object's size, entity tag and version id.
    public func headObject(bucket: String, key: String) async throws(S3Error) -> S3ObjectHead {
        try await offload { client throws(S3Error) in try client.headObject(bucket: bucket, key: key) }
    }

    /// An object's bytes, all of them or those in `range`.
    public func getObject(bucket: String, key: String, range: Range<Int64>? = nil) async throws(S3Error) -> Data {
        try await offload { client throws(S3Error) in try client.getObject(bucket: bucket, key: key, range: range) }
    }

    /// Stores `data` under `key`.
    @discardableResult
    public func putObject(bucket: String, key: String, data: Data) async throws(S3Error) -> S3PutResult {
        try await offload { client throws(S3Error) in try client.putObject(bucket: bucket, key: key, data: data) }
    }

    /// Stores the content of a local file under `key`.
    @discardableResult
    public func putObject(bucket: String, key: String, file: URL, sha256: [UInt8]? = nil) async throws(S3Error)
        -> S3PutResult {
        try await offload { client throws(S3Error) in
            try client.putObject(bucket: bucket, key: key, file: file, sha256: sha256)
        }
    }

    /// Deletes an object; deleting a missing object succeeds.
    public func deleteObject(bucket: String, key: String) async throws(S3Error) {
        try await offload { client throws(S3Error) in try client.deleteObject(bucket: bucket, key: key) }
    }

    /// One page of the keys under `prefix`.
    public func listObjects(
        bucket: String, prefix: String = "", continuationToken: String? = nil, maxKeys: Int = 1000
    ) async throws(S3Error) -> S3ObjectPage {
        try await offload { client throws(S3Error) in
            try client.listObjects(bucket: bucket, prefix: prefix, continuationToken: continuationToken, maxKeys: maxKeys)
        }
    }

    /// Every object under `prefix`.
    public func listAllObjects(bucket: String, prefix: String = "", pageSize: Int = 1000) async throws(S3Error)
        -> [S3ObjectSummary] {
        try await offload { client throws(S3Error) in
            try client.listAllObjects(bucket: bucket, prefix: prefix, pageSize: pageSize)
        }
    }

    private func offload<T: Sendable>(_ body: @escaping @Sendable (S3Client) throws(S3Error) -> T) async throws(S3Error)
        -> T {
        let result: Result<T, S3Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(S3Error) {
                    continuation.resume(returning: .success(try body(self)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
