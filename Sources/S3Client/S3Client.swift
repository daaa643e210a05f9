import Crypto
import Foundation
import HTTPTransport

/// A client for S3-compatible stores addressed path-style (`<endpoint>/<bucket>/<key>`).
///
/// Every request is signed with SigV4 and retried with exponential backoff and jitter when the
/// store answers 5xx, 429 or `SlowDown`, times out or drops the connection. The blocking methods
/// may be called from any thread that is not a Swift concurrency task; the `async` ones run the
/// same code on a dispatch queue.
public final class S3Client: Sendable {
    /// Where the store is and how requests are sent.
    public let configuration: S3Configuration
    private let signer: SigV4Signer
    private let transport: S3Transport

    /// Creates a client; nothing is sent until the first request.
    public init(configuration: S3Configuration) {
        self.configuration = configuration
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region)
        self.transport = S3Transport(
            requestTimeout: configuration.requestTimeout, connectTimeout: configuration.connectTimeout)
    }

    // MARK: - Buckets

    /// Creates a bucket; succeeds when this account already owns it.
    public func createBucket(_ bucket: String) throws(S3Error) {
        do throws(S3Error) {
            _ = try execute("CreateBucket", method: "PUT", bucket: bucket)
        } catch where error.code == "BucketAlreadyOwnedByYou" || error.code == "BucketAlreadyExists" {
            return
        }
    }

    /// Checks that a bucket exists and the credentials may use it.
    /// - Throws: `S3Error` of kind `.noSuchBucket`, `.accessDenied` or `.unreachable`.
    public func headBucket(_ bucket: String) throws(S3Error) {
        _ = try execute("HeadBucket", method: "HEAD", bucket: bucket)
    }

    // MARK: - Objects

    /// An object's size, entity tag and version id: of its current version, or of `versionID`.
    public func headObject(bucket: String, key: String, versionID: String? = nil) throws(S3Error) -> S3ObjectHead {
        let (response, _) = try execute(
            "HeadObject", method: "HEAD", bucket: bucket, key: key, query: Self.versionQuery(versionID))
        guard let length = response.value(forHTTPHeaderField: "Content-Length").flatMap({ Int64($0) }) else {
            throw S3Error(
                kind: .invalidResponse, operation: "HeadObject", endpoint: endpointText, bucket: bucket, key: key,
                status: response.statusCode, message: "no Content-Length")
        }
        return S3ObjectHead(
            size: length, etag: response.value(forHTTPHeaderField: "ETag")?.unquotedETag,
            versionID: response.value(forHTTPHeaderField: "x-amz-version-id")?.realVersionID)
    }

    /// An object's bytes, all of them or those in `range` (byte offsets, upper bound excluded), of its
    /// current version or of `versionID`.
    /// - Throws: `S3Error`; `.invalidResponse` when the store sent another length than asked for.
    public func getObject(bucket: String, key: String, range: Range<Int64>? = nil, versionID: String? = nil)
        throws(S3Error) -> Data
    {
        var headers: [String: String] = [:]
        if let range {
            guard !range.isEmpty else { return Data() }
            headers["range"] = "bytes=\(range.lowerBound)-\(range.upperBound - 1)"
        }
        let (response, data) = try execute(
            "GetObject", method: "GET", bucket: bucket, key: key, query: Self.versionQuery(versionID), headers: headers)
        if let range, Int64(data.count) != range.count {
            throw S3Error(
                kind: .invalidResponse, operation: "GetObject", endpoint: endpointText, bucket: bucket, key: key,
                status: response.statusCode,
                message: "asked for \(range.count) bytes at \(range.lowerBound), got \(data.count)")
        }
        return data
    }

    /// Bytes of an object from `range.lowerBound` to `range.upperBound` or to its end, whichever comes
    /// first, with the object's size, in one ranged GET: no HEAD is needed to learn the size.
    /// - Throws: `S3Error`; HTTP 416 when the range starts at or past the object's end;
    ///   `.invalidResponse` when the answer's length or `Content-Range` does not match the range.
    public func getObjectPart(bucket: String, key: String, range: Range<Int64>) throws(S3Error) -> S3ObjectPart {
        precondition(!range.isEmpty && range.lowerBound >= 0, "an object part is a non-empty range")
        let (response, data) = try execute(
            "GetObject", method: "GET", bucket: bucket, key: key,
            headers: ["range": "bytes=\(range.lowerBound)-\(range.upperBound - 1)"])
        guard let size = try partSize(response, bucket: bucket, key: key, asked: range, received: data.count) else {
            // The whole object: the store ignored the range.
            let size = Int64(data.count)
            guard range.lowerBound < size else {
                throw invalidPart(response, bucket: bucket, key: key, "the object ends at \(size), before byte \(range.lowerBound)")
            }
            let start = data.startIndex + Int(range.lowerBound)
            return S3ObjectPart(bytes: data[start..<data.startIndex + Int(min(size, range.upperBound))], objectSize: size)
        }
        return S3ObjectPart(bytes: data, objectSize: size)
    }

    /// An object's first bytes, as many as `buffer` holds or the whole object when it is smaller,
    /// written to the start of `buffer` as they arrive, with the object's size: one ranged GET into the
    /// caller's memory rather than a new buffer (a caller that reuses its buffers spares the page
    /// faults of a fresh one per answer). A store that ignores the range sends the whole object: the
    /// bytes beyond the buffer are counted for the size and dropped.
    /// - Returns: the bytes written (`min(objectSize, buffer.count)`) and the object's size.
    /// - Throws: `S3Error`; HTTP 416 for an empty object (no byte is in range); `.invalidResponse` when
    ///   the answer's length or `Content-Range` does not match the range.
    public func getObjectPrefix(bucket: String, key: String, into buffer: UnsafeMutableRawBufferPointer)
        throws(S3Error) -> (count: Int, objectSize: Int64)
    {
        precondition(!buffer.isEmpty, "an object prefix is at least one byte")
        var received = 0
        let (response, _) = try execute(
            "GetObject", method: "GET", bucket: bucket, key: key, headers: ["range": "bytes=0-\(buffer.count - 1)"],
            receive: {
                // A new attempt starts the buffer over.
                received = 0
                return { piece in
                    let room = max(0, min(piece.count, buffer.count - received))
                    if room > 0 { (buffer.baseAddress! + received).copyMemory(from: piece.baseAddress!, byteCount: room) }
                    received += piece.count
                }
            })
        guard let size = try partSize(
            response, bucket: bucket, key: key, asked: 0..<Int64(buffer.count), received: received)
        else {
            // The whole object: the store ignored the range.
            return (min(received, buffer.count), Int64(received))
        }
        return (received, size)
    }

    /// The object's size from a ranged GetObject's `Content-Range: bytes FIRST-LAST/SIZE` (with 206 from
    /// SeaweedFS, 200 from rclone), once `received` bytes are what `asked` calls for, cut to the object's
    /// end; nil for a 200 without it (the store ignored the range and sent the whole object).
    private func partSize(
        _ response: HTTPResponse, bucket: String, key: String, asked: Range<Int64>, received: Int
    ) throws(S3Error) -> Int64? {
        guard let contentRange = response.value(forHTTPHeaderField: "Content-Range") else {
            guard response.statusCode == 200 else {
                throw invalidPart(response, bucket: bucket, key: key, "a partial answer without Content-Range")
            }
            return nil
        }
        guard let slash = contentRange.lastIndex(of: "/"), let size = Int64(contentRange[contentRange.index(after: slash)...])
        else { throw invalidPart(response, bucket: bucket, key: key, "no object size in Content-Range \"\(contentRange)\"") }
        let expected = min(size, asked.upperBound) - asked.lowerBound
        guard Int64(received) == expected, contentRange.hasPrefix("bytes \(asked.lowerBound)-") else {
            throw invalidPart(
                response, bucket: bucket, key: key,
                "asked for \(expected) bytes at \(asked.lowerBound), got \(received) (\(contentRange))")
        }
        return size
    }

    private func invalidPart(_ response: HTTPResponse, bucket: String, key: String, _ message: String) -> S3Error {
        S3Error(
            kind: .invalidResponse, operation: "GetObject", endpoint: endpointText, bucket: bucket, key: key,
            status: response.statusCode, message: message)
    }

    /// Stores `data` under `key`, replacing any object there.
    /// - Parameter payload: whether the body's SHA-256 is signed; `.unsigned` spares hashing it.
    @discardableResult
    public func putObject(bucket: String, key: String, data: Data, payload: S3PayloadSigning = .signed)
        throws(S3Error) -> S3PutResult {
        let (response, _) = try execute(
            "PutObject", method: "PUT", bucket: bucket, key: key, body: .data(data),
            payloadHash: payload == .signed ? SigV4Signer.payloadHash(of: data) : SigV4Signer.unsignedPayload)
        return Self.putResult(response)
    }

    /// Stores the content of a local file under `key`, streaming it from disk.
    /// - Parameters:
    ///   - sha256: The file's SHA-256 when the caller knows it (a content-addressed store does); it is
    ///     the signed payload hash. Computed from the file otherwise.
    ///   - payload: whether the body's SHA-256 is signed; `.unsigned` spares reading the file to hash it.
    @discardableResult
    public func putObject(
        bucket: String, key: String, file: URL, sha256: [UInt8]? = nil, payload: S3PayloadSigning = .signed
    ) throws(S3Error) -> S3PutResult {
        var payloadHash = SigV4Signer.unsignedPayload
        if payload == .signed {
            do {
                payloadHash = SigV4Signer.hex(try sha256 ?? Self.sha256(of: file))
            } catch {
                throw S3Error(
                    kind: .invalidResponse, operation: "PutObject", endpoint: endpointText, bucket: bucket, key: key,
                    message: "cannot read \(file.path): \(error)")
            }
        }
        let (response, _) = try execute(
            "PutObject", method: "PUT", bucket: bucket, key: key, body: .file(file), payloadHash: payloadHash)
        return Self.putResult(response)
    }

    /// Deletes an object (in a versioned bucket: puts a delete marker over it), or with `versionID`
    /// that one version for good; deleting a missing object succeeds.
    public func deleteObject(bucket: String, key: String, versionID: String? = nil) throws(S3Error) {
        do throws(S3Error) {
            _ = try execute("DeleteObject", method: "DELETE", bucket: bucket, key: key, query: Self.versionQuery(versionID))
        } catch where error.kind == .noSuchKey {
            return
        }
    }

    /// One page of the keys under `prefix`, in key order.
    /// - Parameters:
    ///   - continuationToken: The previous page's `nextContinuationToken`; nil for the first page.
    ///   - maxKeys: The page size (S3 caps it at 1,000).
    public func listObjects(
        bucket: String, prefix: String = "", continuationToken: String? = nil, maxKeys: Int = 1000
    ) throws(S3Error) -> S3ObjectPage {
        var query = [("list-type", "2"), ("max-keys", String(maxKeys))]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let (response, data) = try execute("ListObjectsV2", method: "GET", bucket: bucket, query: query)
        let xml = String(decoding: data, as: UTF8.self)[...]
        guard xml.contains("<ListBucketResult") else {
            throw S3Error(
                kind: .invalidResponse, operation: "ListObjectsV2", endpoint: endpointText, bucket: bucket,
                status: response.statusCode, message: "not a ListBucketResult")
        }
        var objects: [S3ObjectSummary] = []
        for entry in S3XML.elements("Contents", in: xml) {
            guard let key = S3XML.text("Key", in: entry), let size = S3XML.text("Size", in: entry).flatMap({ Int64($0) })
            else {
                throw S3Error(
                    kind: .invalidResponse, operation: "ListObjectsV2", endpoint: endpointText, bucket: bucket,
                    status: response.statusCode, message: "an entry without Key or Size")
            }
            objects.append(S3ObjectSummary(key: key, size: size, etag: S3XML.text("ETag", in: entry)?.unquotedETag))
        }
        let truncated = S3XML.text("IsTruncated", in: xml) == "true"
        let next = truncated ? S3XML.text("NextContinuationToken", in: xml) : nil
        if truncated && (next ?? "").isEmpty {
            throw S3Error(
                kind: .invalidResponse, operation: "ListObjectsV2", endpoint: endpointText, bucket: bucket,
                status: response.statusCode, message: "truncated listing without NextContinuationToken")
        }
        return S3ObjectPage(objects: objects, nextContinuationToken: next)
    }

    /// Every object under `prefix`, following continuation tokens page by page.
    public func listAllObjects(bucket: String, prefix: String = "", pageSize: Int = 1000) throws(S3Error)
        -> [S3ObjectSummary] {
        var all: [S3ObjectSummary] = []
        var token: String?
        repeat {
            let page = try listObjects(bucket: bucket, prefix: prefix, continuationToken: token, maxKeys: pageSize)
            all += page.objects
            token = page.nextContinuationToken
        } while token != nil
        return all
    }

    // MARK: - Versions

    /// The bucket's versioning state: `.enabled` or `.suspended` once versioning was turned on,
    /// `.off` for a bucket that never kept versions.
    public func bucketVersioning(_ bucket: String) throws(S3Error) -> S3BucketVersioning {
        let (_, data) = try execute("GetBucketVersioning", method: "GET", bucket: bucket, query: [("versioning", "")])
        switch S3XML.text("Status", in: String(decoding: data, as: UTF8.self)[...]) {
        case "Enabled": return .enabled
        case "Suspended": return .suspended
        default: return .off
        }
    }

    /// Turns the bucket's versioning on (`enabled`) or suspends it.
    public func setBucketVersioning(_ bucket: String, enabled: Bool) throws(S3Error) {
        let body = Data("""
            <VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
            <Status>\(enabled ? "Enabled" : "Suspended")</Status></VersioningConfiguration>
            """.utf8)
        _ = try execute(
            "PutBucketVersioning", method: "PUT", bucket: bucket, query: [("versioning", "")], body: .data(body),
            payloadHash: SigV4Signer.payloadHash(of: body))
    }

    /// One page of the object versions under `prefix` (delete markers left out), in key order and
    /// newest first within a key.
    /// - Parameters:
    ///   - marker: The previous page's `nextMarker`; nil for the first page.
    ///   - maxKeys: The page size (S3 caps it at 1,000; delete markers count towards it).
    public func listObjectVersions(
        bucket: String, prefix: String = "", marker: S3VersionPage.Marker? = nil, maxKeys: Int = 1000
    ) throws(S3Error) -> S3VersionPage {
        var query = [("versions", ""), ("max-keys", String(maxKeys))]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let marker {
            query.append(("key-marker", marker.key))
            if let version = marker.versionID { query.append(("version-id-marker", version)) }
        }
        let (response, data) = try execute("ListObjectVersions", method: "GET", bucket: bucket, query: query)
        let xml = String(decoding: data, as: UTF8.self)[...]
        func invalid(_ message: String) -> S3Error {
            S3Error(
                kind: .invalidResponse, operation: "ListObjectVersions", endpoint: endpointText, bucket: bucket,
                status: response.statusCode, message: message)
        }
        guard xml.contains("<ListVersionsResult") else { throw invalid("not a ListVersionsResult") }
        var versions: [S3ObjectVersionSummary] = []
        for entry in S3XML.elements("Version", in: xml) {
            guard let key = S3XML.text("Key", in: entry), let size = S3XML.text("Size", in: entry).flatMap({ Int64($0) })
            else { throw invalid("a version without Key or Size") }
            versions.append(S3ObjectVersionSummary(
                key: key, versionID: S3XML.text("VersionId", in: entry)?.realVersionID,
                isLatest: S3XML.text("IsLatest", in: entry) == "true", size: size,
                etag: S3XML.text("ETag", in: entry)?.unquotedETag))
        }
        guard S3XML.text("IsTruncated", in: xml) == "true" else { return S3VersionPage(versions: versions, nextMarker: nil) }
        guard let key = S3XML.text("NextKeyMarker", in: xml), !key.isEmpty else {
            throw invalid("truncated listing without NextKeyMarker")
        }
        let version = S3XML.text("NextVersionIdMarker", in: xml)
        return S3VersionPage(
            versions: versions, nextMarker: .init(key: key, versionID: version?.isEmpty == false ? version : nil))
    }

    /// The `versionId` query parameter that names one version of an object, or none for its current one.
    private static func versionQuery(_ versionID: String?) -> [(String, String)] {
        versionID.map { [("versionId", $0)] } ?? []
    }

    // MARK: - Sending

    private var endpointText: String { configuration.endpoint.absoluteString }

    /// The URL of a bucket or object, with the key's bytes percent-encoded once.
    func url(bucket: String?, key: String?, query: [(String, String)]) -> URL {
        var components = URLComponents(url: configuration.endpoint, resolvingAgainstBaseURL: false)!
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        if let bucket {
            path += "/" + SigV4Signer.uriEncode(bucket)
            if let key { path += "/" + SigV4Signer.uriEncode(key, keepSlash: true) }
        }
        components.percentEncodedPath = path.isEmpty ? "/" : path
        components.percentEncodedQuery = query.isEmpty ? nil : SigV4Signer.canonicalQuery(query)
        return components.url!
    }

    private func execute(
        _ operation: String, method: String, bucket: String? = nil, key: String? = nil,
        query: [(String, String)] = [], headers: [String: String] = [:], body: S3Transport.Body = .none,
        payloadHash: String = SigV4Signer.emptyPayloadHash, receive: (() -> (UnsafeRawBufferPointer) throws -> Void)? = nil
    ) throws(S3Error) -> (HTTPResponse, Data) {
        let target = url(bucket: bucket, key: key, query: query)
        let policy = configuration.retry
        let deadline = configuration.operationTimeout.map { ContinuousClock.now + .milliseconds(Int64($0 * 1000)) }
        var attempt = 1
        while true {
            let error: S3Error
            let stallTimeout = deadline.map { Self.seconds(max(.milliseconds(Self.shortestStallMilliseconds), $0 - .now)) }
            switch sendOnce(operation, method: method, url: target, bucket: bucket, key: key, headers: headers,
                           body: body, payloadHash: payloadHash, stallTimeout: stallTimeout, receive: receive?()) {
            case .success(let answer): return answer
            case .failure(let failure): error = failure
            }
            attempt += 1
            let delay = policy.delay(beforeAttempt: attempt)
            // A retry that could not stall even briefly before the deadline would only delay the failure.
            let retryFits = deadline.map {
                ContinuousClock.now + .milliseconds(Int64(delay * 1000) + Self.shortestStallMilliseconds) <= $0
            } ?? true
            guard error.isTransient, attempt <= policy.maxAttempts, retryFits else {
                var final = error
                final.attempts = attempt - 1
                throw final
            }
            Thread.sleep(forTimeInterval: delay)
        }
    }

    /// The least stall an attempt is given under an operation deadline: less would fail a healthy
    /// store's answer that is merely a moment late.
    private static let shortestStallMilliseconds: Int64 = 500

    private static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func sendOnce(
        _ operation: String, method: String, url: URL, bucket: String?, key: String?, headers: [String: String],
        body: S3Transport.Body, payloadHash: String, stallTimeout: TimeInterval?,
        receive: ((UnsafeRawBufferPointer) throws -> Void)?
    ) -> Result<(HTTPResponse, Data), S3Error> {
        func failure(_ kind: S3Error.Kind, status: Int? = nil, code: String? = nil, message: String?) -> S3Error {
            S3Error(
                kind: kind, operation: operation, endpoint: endpointText, bucket: bucket, key: key, status: status,
                code: code, message: message)
        }
        let signed = signer.signedHeaders(method: method, url: url, headers: headers, payloadHash: payloadHash)
        switch transport.send(
            method: method, url: url, headers: signed, body: body, stallTimeout: stallTimeout, receive: receive)
        {
        case .failure(let transportFailure):
            return .failure(failure(transportFailure.kind, message: transportFailure.message))
        case .success(let response):
            let data = response.body
            guard response.statusCode >= 300 else { return .success((response, data)) }
            let xml = String(decoding: data, as: UTF8.self)[...]
            let code = S3XML.text("Code", in: xml)
            let message = S3XML.text("Message", in: xml)
            return .failure(failure(
                Self.kind(status: response.statusCode, code: code, method: method, hasKey: key != nil),
                status: response.statusCode, code: code, message: message))
        }
    }

    private static func kind(status: Int, code: String?, method: String, hasKey: Bool) -> S3Error.Kind {
        switch code {
        case "NoSuchBucket": return .noSuchBucket
        case "NoSuchKey", "NoSuchVersion": return .noSuchKey
        case "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId": return .accessDenied
        default: break
        }
        if status == 403 { return .accessDenied }
        // A HEAD answer has no body to name the code.
        if status == 404 && method == "HEAD" { return hasKey ? .noSuchKey : .noSuchBucket }
        return .service
    }

    private static func putResult(_ response: HTTPResponse) -> S3PutResult {
        S3PutResult(
            etag: response.value(forHTTPHeaderField: "ETag")?.unquotedETag,
            versionID: response.value(forHTTPHeaderField: "x-amz-version-id"))
    }

    /// A file's SHA-256, read in 1 MiB pieces.
    private static func sha256(of file: URL) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty { hasher.update(data: piece) }
        return Array(hasher.finalize())
    }
}

