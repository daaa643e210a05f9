import ArtifactStore
import Foundation
import S3Client

/// `s3://BUCKET/KEY-OR-PREFIX` references on any S3-compatible store: the object's ETag (and version
/// id where the store keeps versions) is the checksum, so a check is one HEAD request.
///
/// The endpoint, region and keys come from `ARTTUI_S3_ENDPOINT`, `ARTTUI_S3_REGION` and `AWS_*`.
/// A URI naming an object records that object; otherwise it is a prefix and records every object below it.
public struct S3Source: ReferenceSource {
    private let client: Result<S3Client, S3ConfigurationError>
    /// How many bytes one ranged GET asks for while streaming an object.
    var readBlock: Int64 = 16 << 20

    /// A source configured from the environment; an incomplete configuration fails only when an
    /// `s3://` reference is used, naming the missing variable.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        do {
            client = .success(S3Client(configuration: try S3Configuration.fromEnvironment(environment)))
        } catch {
            client = .failure(error)
        }
    }

    public var schemes: [String] { ["s3"] }

    public func list(_ uri: String, checksum: Bool, maxObjects: Int) throws -> [ManifestEntry] {
        let (bucket, key) = try Self.split(uri)
        let client = try self.client(for: uri)
        if !key.isEmpty, !key.hasSuffix("/") {
            do {
                let head = try client.headObject(bucket: bucket, key: key)
                let name = String(key.split(separator: "/").last ?? Substring(key))
                return [entry(path: name, uri: uri, size: head.size, etag: head.etag, version: head.versionID,
                              checksum: checksum)]
            } catch let error where error.kind == .noSuchKey {
                // Not an object: a prefix.
            } catch {
                throw StoreError.referenceUnavailable(path: key, uri: uri, reason: error.description)
            }
        }
        let prefix = key.isEmpty || key.hasSuffix("/") ? key : key + "/"
        let (objects, count): ([S3ObjectVersionSummary], Int)
        do {
            (objects, count) = try Self.currentObjects(client, bucket: bucket, prefix: prefix, maxObjects: maxObjects)
        } catch {
            throw StoreError.referenceUnavailable(path: prefix, uri: uri, reason: error.description)
        }
        if count > maxObjects { throw StoreError.tooManyObjects(uri: uri, count: count, limit: maxObjects) }
        if count == 0 {
            throw StoreError.referenceUnavailable(path: key, uri: uri, reason: "no object or prefix of that name")
        }
        // The listing gives size, ETag and version: no request per object.
        return objects.map { object in
            entry(path: String(object.key.dropFirst(prefix.count)), uri: "s3://\(bucket)/\(object.key)",
                  size: object.size, etag: object.etag, version: object.versionID, checksum: checksum)
        }
    }

    /// The current version of every object under `prefix`, a page of 1,000 at a time: from
    /// ListObjectVersions where the bucket keeps versions (so each entry can name the exact version it
    /// recorded), ListObjectsV2 otherwise or when the store will not tell. Past `maxObjects` only the
    /// count grows, since the error gives it in full.
    private static func currentObjects(_ client: S3Client, bucket: String, prefix: String, maxObjects: Int)
        throws(S3Error) -> (objects: [S3ObjectVersionSummary], count: Int)
    {
        var objects: [S3ObjectVersionSummary] = []
        var count = 0
        func add(_ page: [S3ObjectVersionSummary]) {
            count += page.count
            if count <= maxObjects { objects += page }
        }
        let versioning: S3BucketVersioning
        do {
            versioning = try client.bucketVersioning(bucket)
        } catch where error.kind == .noSuchBucket || error.kind == .unreachable {
            throw error
        } catch {
            // Not every S3-compatible store answers GetBucketVersioning (or lets this key ask);
            // without it the objects are recorded by ETag alone.
            versioning = .off
        }
        if versioning == .off {
            var token: String?
            repeat {
                let page = try client.listObjects(bucket: bucket, prefix: prefix, continuationToken: token)
                add(page.objects.map {
                    S3ObjectVersionSummary(key: $0.key, versionID: nil, isLatest: true, size: $0.size, etag: $0.etag)
                })
                token = page.nextContinuationToken
            } while token != nil
        } else {
            var marker: S3VersionPage.Marker?
            repeat {
                let page = try client.listObjectVersions(bucket: bucket, prefix: prefix, marker: marker)
                add(page.versions.filter(\.isLatest))
                marker = page.nextMarker
            } while marker != nil
        }
        return (objects, count)
    }

    private func entry(path: String, uri: String, size: Int64, etag: String?, version: String?, checksum: Bool)
        -> ManifestEntry
    {
        let digest = checksum ? ReferenceChecksum.etag(etag ?? "").description : uri
        return ManifestEntry(path: path, digest: digest, size: size, reference: FileReference(uri: uri, objectVersion: version))
    }

    public func read(_ reference: FileReference, into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> String? {
        let (bucket, key) = try Self.split(reference.uri)
        let client = try self.client(for: reference.uri)
        // A recorded version id reads that exact version, whatever was written over it since.
        let version = reference.objectVersion
        do {
            let head = try client.headObject(bucket: bucket, key: key, versionID: version)
            var offset: Int64 = 0
            while offset < head.size {
                let end = min(head.size, offset + readBlock)
                let block = try client.getObject(bucket: bucket, key: key, range: offset..<end, versionID: version)
                try block.withUnsafeBytes { try sink($0) }
                offset = end
            }
            // Read in pieces: an object replaced meanwhile would mix two contents under one ETag.
            let after = try client.headObject(bucket: bucket, key: key, versionID: version)
            guard after.etag == head.etag else {
                throw StoreError.referenceUnavailable(path: key, uri: reference.uri, reason: "it changed while it was read")
            }
            return head.etag
        } catch let error as S3Error {
            throw StoreError.referenceUnavailable(path: key, uri: reference.uri, reason: error.description)
        }
    }

    public func currentETag(of reference: FileReference) throws -> String? {
        let (bucket, key) = try Self.split(reference.uri)
        do {
            return try client(for: reference.uri)
                .headObject(bucket: bucket, key: key, versionID: reference.objectVersion).etag
        } catch let error as S3Error {
            throw StoreError.referenceUnavailable(path: key, uri: reference.uri, reason: error.description)
        }
    }

    private func client(for uri: String) throws -> S3Client {
        switch client {
        case .success(let client): return client
        case .failure(let error):
            throw StoreError.invalidReference(uri: uri, reason: "needs an S3 endpoint: \(error)")
        }
    }

    /// The bucket and key (or prefix) of an `s3://` URI.
    static func split(_ uri: String) throws -> (bucket: String, key: String) {
        guard uri.lowercased().hasPrefix("s3://") else {
            throw StoreError.invalidReference(uri: uri, reason: "is not an s3:// URI")
        }
        let rest = uri.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty else { throw StoreError.invalidReference(uri: uri, reason: "names no bucket") }
        return (String(bucket), String(rest.dropFirst(bucket.count + 1)))
    }
}
