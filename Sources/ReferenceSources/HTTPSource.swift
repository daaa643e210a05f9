import ArtifactStore
import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `http://` and `https://` references: one object per URI, checksummed by its ETag when the server
/// sends one, else by the SHA-256 of a download.
public struct HTTPSource: ReferenceSource {
    /// How long one request may wait for the server, in seconds.
    public var timeout: TimeInterval = 60

    /// Creates the source.
    public init() {}

    public var schemes: [String] { ["http", "https"] }

    public func list(_ uri: String, checksum: Bool, maxObjects: Int) throws -> [ManifestEntry] {
        let url = try Self.url(uri)
        let name = Self.name(of: url)
        let reference = FileReference(uri: uri)
        let head = try request(url, method: "HEAD", path: name)
        // A server that refuses HEAD (405, 501) is read with GET instead.
        let headUsable = (200..<300).contains(head.status)
        if headUsable, let length = head.header("Content-Length").flatMap({ Int64($0) }) {
            if !checksum { return [ManifestEntry(path: name, digest: uri, size: length, reference: reference)] }
            if let tag = head.header("ETag") {
                return [ManifestEntry(
                    path: name, digest: ReferenceChecksum.etag(header: tag).description, size: length,
                    reference: reference)]
            }
        } else if !headUsable, ![405, 501].contains(head.status) {
            throw StoreError.referenceUnavailable(path: name, uri: uri, reason: "the server answered HTTP \(head.status)")
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
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "GET"
        let (head, file): (HTTPTransfer.Head, URL)
        do {
            (head, file) = try HTTPTransfer.download(request)
        } catch {
            throw StoreError.referenceUnavailable(path: Self.name(of: url), uri: reference.uri, reason: "\(error)")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        guard (200..<300).contains(head.status) else {
            throw StoreError.referenceUnavailable(
                path: Self.name(of: url), uri: reference.uri, reason: "the server answered HTTP \(head.status)")
        }
        _ = try HTTPTransfer.stream(file, into: sink)
        return head.header("ETag")
    }

    public func currentETag(of reference: FileReference) throws -> String? {
        let url = try Self.url(reference.uri)
        let head = try request(url, method: "HEAD", path: Self.name(of: url))
        guard (200..<300).contains(head.status) else {
            throw StoreError.referenceUnavailable(
                path: Self.name(of: url), uri: reference.uri, reason: "the server answered HTTP \(head.status)")
        }
        return head.header("ETag")
    }

    private func request(_ url: URL, method: String, path: String) throws -> HTTPTransfer.Head {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        do {
            return try HTTPTransfer.data(request).0
        } catch {
            throw StoreError.referenceUnavailable(path: path, uri: url.absoluteString, reason: "\(error)")
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
