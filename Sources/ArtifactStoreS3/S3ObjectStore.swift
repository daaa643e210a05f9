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
    /// Whole objects read lately (`recentObjectBytes`), or nil when ranges are always read as asked.
    private let recent: RecentObjects?

    /// Opens a bucket as an object store, checking that the bucket exists.
    /// - Parameters:
    ///   - keyPrefix: Where in the bucket this store's objects live; a `/` is added when missing.
    ///   - stagingDirectory: A local directory for objects being assembled; created when missing.
    ///   - recentObjectBytes: Memory for whole objects kept after a ranged read (0: none). With it, a
    ///     ranged read of an object up to `largestRecentObject` bytes reads the whole object in one GET
    ///     and serves the ranged reads of it that follow from memory: for stores whose objects are
    ///     immutable packs read in many small ranges soon after one another (a get's records).
    /// - Throws: `S3Error` (one line naming the bucket and the endpoint) when the bucket is missing,
    ///   the credentials are refused or the endpoint is unreachable; `StoreError.io` when the
    ///   staging directory cannot be created.
    public init(
        client: S3Client, bucket: String, keyPrefix: String = "", stagingDirectory: URL,
        readAhead: Int = 4 << 20, listPageSize: Int = 1000, recentObjectBytes: Int = 0,
        largestRecentObject: Int = 16 << 20
    ) throws {
        self.client = client
        self.bucket = bucket
        self.keyPrefix = keyPrefix.isEmpty || keyPrefix.hasSuffix("/") ? keyPrefix : keyPrefix + "/"
        self.stagingDirectory = stagingDirectory
        self.readAhead = max(1, readAhead)
        self.listPageSize = max(1, min(1000, listPageSize))
        recent = recentObjectBytes > 0 ? RecentObjects(capacity: recentObjectBytes, largestObject: largestRecentObject) : nil
        do {
            try FileManager.default.createDirectory(at: stagingDirectory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.io(operation: "create", path: stagingDirectory.path, reason: "\(error)")
        }
        try client.headBucket(bucket)
    }

    // Objects go up with `UNSIGNED-PAYLOAD`: hashing each one only for the signature cost the server 8 %
    // of its CPU on a put, and the bytes are checked where they are read (every record against its
    // SHA-256; sealed objects by AES-GCM).
    public func store(key: String, movingFile file: URL) throws {
        recent?.remove(keyPrefix + key)
        try client.putObject(bucket: bucket, key: keyPrefix + key, file: file, payload: .unsigned)
        try? FileManager.default.removeItem(at: file)
    }

    public func store(key: String, bytes: Data) throws {
        recent?.remove(keyPrefix + key)
        try client.putObject(bucket: bucket, key: keyPrefix + key, data: bytes, payload: .unsigned)
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

    /// Ranges closer together than this are fetched by one GET: a request costs the store (and the
    /// server) more than reading this many bytes more.
    static let rangeMergeGap: Int64 = 256 << 10

    public func read(key: String, ranges: [Range<Int64>]) throws -> ObjectRanges {
        let fullKey = keyPrefix + key
        if let recent, ranges.contains(where: { !$0.isEmpty }), let whole = try wholeObject(fullKey, through: recent) {
            let spans = whole.isEmpty ? [] : [0..<Int64(whole.count)]
            return try Self.pieces(of: ranges, in: [whole], at: spans, size: Int64(whole.count), bucket: bucket, key: fullKey)
        }
        var spans: [Range<Int64>] = []
        for range in ranges.filter({ !$0.isEmpty }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            guard range.lowerBound >= 0 else {
                throw StoreError.corruptData(what: "object s3://\(bucket)/\(fullKey)", detail: "a read at \(range.lowerBound)")
            }
            if let last = spans.last, range.lowerBound <= last.upperBound + Self.rangeMergeGap {
                spans[spans.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                spans.append(range)
            }
        }
        var size: Int64
        var parts: [Data] = []
        do throws(S3Error) {
            size = spans.isEmpty ? try client.headObject(bucket: bucket, key: fullKey).size : 0
            for span in spans {
                let part = try client.getObjectPart(bucket: bucket, key: fullKey, range: span)
                parts.append(part.bytes)
                size = part.objectSize
            }
        } catch {
            if error.status == 416 {
                throw StoreError.corruptData(
                    what: "object s3://\(bucket)/\(fullKey)", detail: "ends before a read at \(spans[parts.count].lowerBound)")
            }
            throw Self.translated(error, bucket: bucket, key: fullKey, operation: "read")
        }
        return try Self.pieces(of: ranges, in: parts, at: spans, size: size, bucket: bucket, key: fullKey)
    }

    /// The bytes of each of `ranges`, cut from `parts`, the object's bytes at `spans` (sorted, disjoint,
    /// together holding every range), as `read(key:ranges:)` answers.
    private static func pieces(
        of ranges: [Range<Int64>], in parts: [Data], at spans: [Range<Int64>], size: Int64, bucket: String, key: String
    ) throws -> ObjectRanges {
        let pieces = try ranges.map { range -> Data in
            guard !range.isEmpty else { return Data() }
            guard range.lowerBound >= 0, range.lowerBound < size else {
                throw StoreError.corruptData(
                    what: "object s3://\(bucket)/\(key)", detail: "ends at \(size), expected bytes at \(range.lowerBound)")
            }
            // The last span starting at or before the range holds it: spans are sorted and disjoint.
            var low = 0, high = spans.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if spans[middle].lowerBound <= range.lowerBound { low = middle } else { high = middle - 1 }
            }
            let part = parts[low]
            let start = part.startIndex + Int(range.lowerBound - spans[low].lowerBound)
            let end = part.startIndex + Int(min(range.upperBound, spans[low].lowerBound + Int64(part.count)) - spans[low].lowerBound)
            return part[start..<end]
        }
        return ObjectRanges(size: size, pieces: pieces)
    }

    /// `fullKey`'s bytes kept or read whole now (one GET into one of `recent`'s buffers); nil when the
    /// object is larger than such a buffer.
    private func wholeObject(_ fullKey: String, through recent: RecentObjects) throws -> Data? {
        try recent.object(fullKey) { buffer in
            do throws(S3Error) {
                let prefix = try client.getObjectPrefix(bucket: bucket, key: fullKey, into: buffer)
                return prefix.objectSize <= Int64(buffer.count) ? prefix.count : nil
            } catch where error.status == 416 {
                return 0  // an empty object: no range of it can be read
            } catch {
                throw Self.translated(error, bucket: bucket, key: fullKey, operation: "read")
            }
        }
    }

    /// A missing object as the `StoreError.io` a missing file gives; every other error as it is.
    static func translated(_ error: S3Error, bucket: String, key: String, operation: String) -> any Error {
        guard error.kind == .noSuchKey else { return error }
        return StoreError.io(operation: operation, path: "s3://\(bucket)/\(key)", reason: "no such object")
    }

    public func delete(key: String) throws {
        recent?.remove(keyPrefix + key)
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
