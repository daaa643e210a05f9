import ArtifactStore
import Crypto
import Foundation
import HTTPTransport

/// `http://` and `https://` references: one object per URI, checksummed by its ETag when the server
/// sends one, else by the SHA-256 of a download. Redirects are followed (a release download usually
/// is one); nothing is answered from a cache: a reference is checked against its source as it is now.
public struct HTTPSource: ReferenceSource {
    /// How long connecting may take, and how long a request may go without a byte, in seconds.
    public let timeout: TimeInterval
    private let client: HTTPClient

    /// Creates the source.
    public init(timeout: TimeInterval = 60) {
        self.timeout = timeout
        client = HTTPClient(settings: HTTPSettings(connectTimeout: timeout, idleTimeout: timeout, followsRedirects: true))
    }

    public var schemes: [String] { ["http", "https"] }

    /// A URL is always one object.
    public func namesOneObject(_ uri: String, listed: [ManifestEntry]) -> Bool { true }

    public func list(_ uri: String, checksum: Bool, maxObjects: Int) throws -> [ManifestEntry] {
        let url = try Self.url(uri)
        let name = Self.name(of: url)
        let reference = FileReference(uri: uri)
        let head = try request(url, method: "HEAD", path: name)
        // A server that refuses HEAD (405, 501) is read with GET instead.
        let headUsable = head.isSuccess
        if headUsable, let length = head.value(forHTTPHeaderField: "Content-Length").flatMap({ Int64($0) }) {
            if !checksum { return [ManifestEntry(path: name, digest: uri, size: length, reference: reference)] }
            if let tag = head.value(forHTTPHeaderField: "ETag") {
                return [ManifestEntry(
                    path: name, digest: ReferenceChecksum.etag(header: tag).description, size: length,
                    reference: reference)]
            }
        } else if !headUsable, ![405, 501].contains(head.statusCode) {
            throw StoreError.referenceUnavailable(path: name, uri: uri, reason: "the server answered HTTP \(head.statusCode)")
        }
        var hasher = SHA256()
        var size: Int64 = 0
        let tag = try read(reference) { bytes in
            hasher.update(bufferPointer: bytes)
            size += Int64(bytes.count)
        }
        let digest: String
        if !checksum {
            digest = uri
        } else if let tag {
            digest = ReferenceChecksum.etag(header: tag).description
        } else {
            digest = ReferenceChecksum.sha256(hasher.finalize().map { String(format: "%02x", $0) }.joined()).description
        }
        return [ManifestEntry(path: name, digest: digest, size: size, reference: reference)]
    }

    public func read(_ reference: FileReference, into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> String? {
        let url = try Self.url(reference.uri)
        let response: HTTPResponse
        do {
            // The body goes to the sink as it arrives: no temporary file, no second pass over it.
            response = try client.send(HTTPRequest(method: "GET", url: url), receive: sink)
        } catch let error as HTTPTransportError {
            throw StoreError.referenceUnavailable(path: Self.name(of: url), uri: reference.uri, reason: error.message)
        }
        guard response.isSuccess else {
            throw StoreError.referenceUnavailable(
                path: Self.name(of: url), uri: reference.uri, reason: "the server answered HTTP \(response.statusCode)")
        }
        return response.value(forHTTPHeaderField: "ETag")
    }

    public func currentETag(of reference: FileReference) throws -> String? {
        let url = try Self.url(reference.uri)
        let head = try request(url, method: "HEAD", path: Self.name(of: url))
        guard head.isSuccess else {
            throw StoreError.referenceUnavailable(
                path: Self.name(of: url), uri: reference.uri, reason: "the server answered HTTP \(head.statusCode)")
        }
        return head.value(forHTTPHeaderField: "ETag")
    }

    private func request(_ url: URL, method: String, path: String) throws -> HTTPResponse {
        do {
            return try client.send(HTTPRequest(method: method, url: url))
        } catch {
            throw StoreError.referenceUnavailable(path: path, uri: url.absoluteString, reason: error.message)
        }
    }

    static func url(_ uri: String) throws -> URL {
        guard let url = URL(string: uri), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host != nil
        else {
            throw StoreError.invalidReference(uri: uri, reason: "is not an http:// or https:// URL")
        }
        return url
    }

    /// The entry's name in the artifact: the URL's last path component, or its host for a bare site.
    static func name(of url: URL) -> String {
        let last = url.lastPathComponent
        return last.isEmpty || last == "/" ? (url.host ?? "index") : last
    }
}
