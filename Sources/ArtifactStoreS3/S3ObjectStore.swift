import ArtifactStore
import Foundation
import S3Client

/// A store's objects in an S3 bucket, under a key prefix: object `packs/ab/x.pack` is
/// `s3://<bucket>/<prefix>packs/ab/x.pack`.
///
/// A missing object reads as `StoreError.io` (as a missing file does in `LocalObjectStore`), so
/// the restore path's retry after a concurrent compaction works the same; every other failure is
/// the `S3Error` naming the operation, object and endpoint.
public struct S3ObjectStore: ObjectStore {
    /// The client requests go through.
    public let client: S3Client
    /// The bucket holding the objects.
    public let bucket: String
    /// Prepended to every object key; empty or ending in `/`.
    public let keyPrefix: String
    /// A local directory where objects are assembled before upload.
    public let stagingDirectory: URL
    /// How many bytes a reader fetches at least per request, so the small sequential reads of a
    /// restore become few ranged GETs.
    public let readAhead: Int
    /// Keys per ListObjectsV2 page.
    public let listPageSize: Int

    /// Opens a bucket as an object store, checking that the bucket exists.
    /// - Parameters:
    ///   - keyPrefix: Where in the bucket this store's objects live; a `/` is added when missing.
    ///   - stagingDirectory: A local directory for objects being assembled; created when missing.
    /// - Throws: `S3Error` (one line naming the bucket and the endpoint) when the bucket is missing,
    ///   the credentials are refused or the endpoint is unreachable; `StoreError.io` when the
    ///   staging directory cannot be created.
    public init(
        client: S3Client, bucket: String, keyPrefix: String = "", stagingDirectory: URL,
        readAhead: Int = 4 << 20, listPageSize: Int = 1000
    ) throws {
        self.client = client
        self.bucket = bucket
        self.keyPrefix = keyPrefix.isEmpty || keyPrefix.hasSuffix("/") ? keyPrefix : keyPrefix + "/"
        self.stagingDirectory = stagingDirectory
        self.readAhead = max(1, readAhead)
        self.listPageSize = max(1, min(1000, listPageSize))
        do {
            try FileManager.default.createDirectory(at: stagingDirectory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.io(operation: "create", path: stagingDirectory.path, reason: "\(error)")
        }
        try client.headBucket(bucket)
    }

    public func store(key: String, movingFile file: URL) throws {
        try client.putObject(bucket: bucket, key: keyPrefix + key, file: file)
        try? FileManager.default.removeItem(at: file)
    }

    public func reader(key: String) throws -> any ObjectReader {
        let head: S3ObjectHead
        do {
            head = try client.headObject(bucket: bucket, key: keyPrefix + key)
        } catch {
            throw Self.translated(error, bucket: bucket, key: keyPrefix + key, operation: "open")
        }
        return S3ObjectReader(client: client, bucket: bucket, key: keyPrefix + key, size: head.size, readAhead: readAhead)
    }

    /// A missing object as the `StoreError.io` a missing file gives; every other error as it is.
    static func translated(_ error: S3Error, bucket: String, key: String, operation: String) -> any Error {
        guard error.kind == .noSuchKey else { return error }
        return StoreError.io(operation: operation, path: "s3://\(bucket)/\(key)", reason: "no such object")
    }

    public func delete(key: String) throws {
        try client.deleteObject(bucket: bucket, key: keyPrefix + key)
    }

    public func list() throws -> [ObjectInfo] {
        let objects = try client.listAllObjects(bucket: bucket, prefix: keyPrefix, pageSize: listPageSize)
        var result: [ObjectInfo] = []
        for object in objects where object.key.hasPrefix(keyPrefix) {
            result.append(ObjectInfo(key: String(object.key.dropFirst(keyPrefix.count)), size: object.size))
        }
        return result.sorted { $0.key < $1.key }
    }
}
