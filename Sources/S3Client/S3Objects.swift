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

/// What a PUT of an object answered.
public struct S3PutResult: Sendable, Equatable {
    /// The stored object's entity tag, without quotes.
    public var etag: String?
    /// Its version id, when the bucket is versioned.
    public var versionID: String?
}

extension String {
    /// An entity tag without the quotes S3 wraps it in.
    var unquotedETag: String {
        var text = self
        if text.hasPrefix("W/") { text.removeFirst(2) }
        return text.trimmingCharacters(in: ["\""])
    }
}
