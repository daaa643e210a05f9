/// A request that got no complete HTTP answer, and why, in libcurl's words.
public struct HTTPTransportError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, as far as callers tell cases apart.
    public enum Kind: Sendable, Equatable {
        /// libcurl (libcurl.so.4) cannot be loaded.
        case unavailable
        /// The request cannot be sent as given: not an http(s) URL, an unreadable body file.
        case invalidRequest
        /// No connection: refused, unknown host, or connecting took longer than the connect timeout.
        case unreachable
        /// Connected, but the answer did not come (or stalled) within the timeout.
        case timedOut
        /// The TLS handshake failed: an untrusted or mismatched certificate, an unreadable CA file.
        case tls
        /// The connection broke or closed before the whole answer came.
        case connectionLost
        /// What came is not HTTP the transport can read.
        case invalidAnswer
    }

    /// The kind of failure.
    public var kind: Kind
    /// libcurl's message (its error buffer when it filled one), on one line.
    public var message: String
    /// libcurl's CURLcode, 0 when the failure is not libcurl's.
    public var code: Int32

    /// Creates an error.
    public init(kind: Kind, message: String, code: Int32 = 0) {
        self.kind = kind
        self.message = message
        self.code = code
    }

    public var description: String { message }
}
