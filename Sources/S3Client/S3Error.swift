import Foundation

/// A failed S3 request: which operation on which bucket and key, at which endpoint, and what the
/// store answered. Prints as one line.
public struct S3Error: Error, CustomStringConvertible, Sendable {
    /// What went wrong, as far as callers need to tell cases apart.
    public enum Kind: Sendable, Equatable {
        /// The bucket does not exist.
        case noSuchBucket
        /// The object does not exist.
        case noSuchKey
        /// The credentials were refused: wrong key, wrong secret (signature mismatch) or no permission.
        case accessDenied
        /// The endpoint could not be reached (connection refused, unknown host, connect timeout).
        case unreachable
        /// The endpoint accepted the connection but did not answer in time.
        case timedOut
        /// The connection failed mid-request.
        case connectionLost
        /// Another error status from the store.
        case service
        /// The answer could not be understood.
        case invalidResponse
    }

    /// The kind of failure.
    public var kind: Kind
    /// The S3 operation, such as `GetObject`.
    public var operation: String
    /// The endpoint's base URL.
    public var endpoint: String
    /// The bucket, when the request named one.
    public var bucket: String?
    /// The key, when the request named one.
    public var key: String?
    /// The HTTP status, when there was an answer.
    public var status: Int?
    /// S3's error code, such as `NoSuchKey` or `SignatureDoesNotMatch`.
    public var code: String?
    /// S3's message, or the transport's.
    public var message: String?
    /// How many attempts were made.
    public var attempts: Int = 1

    /// Creates an error.
    public init(
        kind: Kind, operation: String, endpoint: String, bucket: String? = nil, key: String? = nil,
        status: Int? = nil, code: String? = nil, message: String? = nil
    ) {
        self.kind = kind
        self.operation = operation
        self.endpoint = endpoint
        self.bucket = bucket
        self.key = key
        self.status = status
        self.code = code
        self.message = message
    }

    /// Whether sending the request again may succeed.
    public var isTransient: Bool {
        switch kind {
        case .unreachable, .timedOut, .connectionLost: return true
        case .service:
            guard let status else { return false }
            return status >= 500 || status == 429 || code == "SlowDown" || code == "RequestTimeout"
        case .noSuchBucket, .noSuchKey, .accessDenied, .invalidResponse: return false
        }
    }

    public var description: String {
        var target = ""
        if let bucket {
            target = key.map { " s3://\(bucket)/\($0)" } ?? " bucket \"\(bucket)\""
        }
        let what: String
        switch kind {
        case .noSuchBucket: what = "no such bucket"
        case .noSuchKey: what = "no such key"
        case .accessDenied: what = "access denied (check the access key and secret)"
        case .unreachable: what = "endpoint \(endpoint) is unreachable"
        case .timedOut: what = "no answer from \(endpoint) in time"
        case .connectionLost: what = "connection to \(endpoint) lost"
        case .service: what = "failed"
        case .invalidResponse: what = "unreadable answer"
        }
        var details: [String] = []
        if let status { details.append("HTTP \(status)") }
        if let code { details.append(code) }
        if let message, !message.isEmpty { details.append(message) }
        if attempts > 1 { details.append("after \(attempts) attempts") }
        let at = [.unreachable, .timedOut, .connectionLost].contains(kind) ? "" : " at \(endpoint)"
        let line = "S3 \(operation)\(target)\(at): \(what)" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
        return line.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
