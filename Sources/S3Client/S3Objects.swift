import Foundation

/// What a HEAD of an object tells.
public struct S3ObjectHead: Sendable, Equatable {
    /// The object's size in bytes.
    public var size: Int64
    /// Its entity tag, without quotes, when the store sent one.
    public var etag: String?
    /// Its version id, when the bucket is versioned.
    public var versionID: String?
}

/// One object in a listing.
public struct S3ObjectSummary: Sendable, Equatable {
    /// The object's full key.
    public var key: String
    /// Its size in bytes.
    public var size: Int64
    /// Its entity tag, without quotes.
    public var etag: String?
}

/// One page of a ListObjectsV2 answer.
public struct S3ObjectPage: Sendable, Equatable {
    /// The objects on this page, in key order.
    public var objects: [S3ObjectSummary]
    /// The token for the next page; nil on the last one.
    public var nextContinuationToken: String?
}

/// Part of an object read by one ranged GET, with the object's size.
public struct S3ObjectPart: Sendable, Equatable {
    /// The bytes read: those asked for, or fewer where the range ran past the object's end.
    public var bytes: Data
    /// The whole object's size in bytes.
    public var objectSize: Int64
}

/// Whether a PUT's body is part of its SigV4 signature.
public enum S3PayloadSigning: Sendable, Equatable {
    /// The body's SHA-256 is signed (`x-amz-content-sha256`): the store refuses a body changed on the way.
    case signed
    /// `UNSIGNED-PAYLOAD`: no hash of the body is computed; for bodies whose integrity is checked
    /// otherwise (TLS, content-addressed or authenticated-encrypted objects).
    case unsigned
}

/// What a PUT of an object answered.
public struct S3PutResult: Sendable, Equatable {
    /// The stored object's entity tag, without quotes.
    public var etag: String?
    /// Its version id, when the bucket is versioned.
    public var versionID: String?
}

/// Whether a bucket keeps object versions.
public enum S3BucketVersioning: Sendable, Equatable {
    /// Versioning was never turned on: objects have no version ids.
    case off
    /// Every write makes a new version.
    case enabled
    /// Versions kept so far stay; new writes replace the `null` version.
    case suspended
}

/// One version of an object in a ListObjectVersions answer.
public struct S3ObjectVersionSummary: Sendable, Equatable {
    /// The object's full key.
    public var key: String
    /// The version's id; nil for the `null` version written while versioning was off.
    public var versionID: String?
    /// Whether this is the object's current version.
    public var isLatest: Bool
    /// Its size in bytes.
    public var size: Int64
    /// Its entity tag, without quotes.
    public var etag: String?

    /// Creates a summary; a plain listing's object is its own latest version, without an id.
    public init(key: String, versionID: String?, isLatest: Bool, size: Int64, etag: String?) {
        self.key = key
        self.versionID = versionID
        self.isLatest = isLatest
        self.size = size
        self.etag = etag
    }
}

/// One page of a ListObjectVersions answer.
public struct S3VersionPage: Sendable, Equatable {
    /// Where the next page starts.
    public struct Marker: Sendable, Equatable {
        /// The key to continue after.
        public var key: String
        /// The version of `key` to continue after.
        public var versionID: String?
    }

    /// The versions on this page (delete markers left out), in key order, newest first within a key.
    public var versions: [S3ObjectVersionSummary]
    /// Where the next page starts; nil on the last one.
    public var nextMarker: Marker?
}

extension String {
    /// A version id, or nil for `null`: the version of an object written while versioning was off.
    var realVersionID: String? { self == "null" || isEmpty ? nil : self }

    /// An entity tag without the quotes S3 wraps it in.
    var unquotedETag: String {
        var text = self
        if text.hasPrefix("W/") { text.removeFirst(2) }
        return text.trimmingCharacters(in: ["\""])
    }
}
