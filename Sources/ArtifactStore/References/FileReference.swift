import Foundation

/// Where a reference entry's bytes live: nothing is copied into the store, only this is recorded.
public struct FileReference: Hashable, Sendable, Codable {
    /// The source: `file:///…`, `http(s)://…` or `s3://BUCKET/KEY`.
    public var uri: String
    /// The object's version id, for an S3 store that keeps versions.
    public var objectVersion: String?

    /// Creates a reference.
    public init(uri: String, objectVersion: String? = nil) {
        self.uri = uri
        self.objectVersion = objectVersion
    }

    /// The URI's scheme, lower-cased (`file`, `http`, `https`, `s3`).
    public var scheme: String {
        uri.firstRange(of: "://").map { uri[..<$0.lowerBound].lowercased() } ?? ""
    }
}

/// A reference's recorded checksum, kept in the entry's `digest` as text with a kind prefix.
///
/// `sha256:HEX` (content hash: `file://`, and `http(s)` without an ETag), `md5:BASE64` (the
/// reference system's content hash, kept from an imported manifest), `etag:VALUE` (`s3://`, and
/// `http(s)` with an ETag), or the URI itself when checksums were turned off, as the reference system does.
public enum ReferenceChecksum: Hashable, Sendable, CustomStringConvertible {
    /// SHA-256 of the content, lower-case hex.
    case sha256(String)
    /// MD5 of the content, base64 (the reference system's digest).
    case md5(String)
    /// An ETag as the source sent it, without surrounding quotes.
    case etag(String)
    /// Not checked: the digest is the URI.
    case unchecked(uri: String)

    /// Reads an entry's digest text.
    public init(digest: String) {
        if digest.hasPrefix("sha256:") {
            self = .sha256(String(digest.dropFirst(7)))
        } else if digest.hasPrefix("md5:") {
            self = .md5(String(digest.dropFirst(4)))
        } else if digest.hasPrefix("etag:") {
            self = .etag(String(digest.dropFirst(5)))
        } else {
            self = .unchecked(uri: digest)
        }
    }

    /// The digest text recorded in the catalog.
    public var description: String {
        switch self {
        case .sha256(let hex): return "sha256:\(hex)"
        case .md5(let base64): return "md5:\(base64)"
        case .etag(let tag): return "etag:\(tag)"
        case .unchecked(let uri): return uri
        }
    }

    /// An ETag without the quotes HTTP wraps it in (and without a weak `W/` marker's quotes).
    public static func etag(header: String) -> ReferenceChecksum {
        var tag = header.trimmingCharacters(in: .whitespaces)
        if tag.count >= 2, tag.hasPrefix("\""), tag.hasSuffix("\"") { tag = String(tag.dropFirst().dropLast()) }
        return .etag(tag)
    }
}
