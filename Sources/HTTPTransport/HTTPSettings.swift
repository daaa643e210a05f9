import Foundation

/// How an `HTTPClient` connects: timeouts, certificate checks, redirects.
public struct HTTPSettings: Sendable {
    /// How long opening the connection (and the TLS handshake) may take.
    public var connectTimeout: TimeInterval
    /// How long a whole request may take, connecting included; nil for no limit.
    public var totalTimeout: TimeInterval?
    /// How long a request may go without a byte sent or received (a stall), to the millisecond; nil for
    /// no limit. A slow transfer that keeps moving is never cut short by it.
    public var idleTimeout: TimeInterval?
    /// A PEM file whose certificates are the only trusted roots; nil for the system's.
    public var caFile: String?
    /// Whether the server's certificate and host name are checked (`false` is `--insecure`).
    public var verifiesCertificates: Bool
    /// Whether 3xx answers are followed (at most 10, http and https only); off, the 3xx is the answer.
    public var followsRedirects: Bool

    /// Creates settings; by default certificates are verified and redirects are not followed.
    public init(
        connectTimeout: TimeInterval = 10, totalTimeout: TimeInterval? = nil, idleTimeout: TimeInterval? = nil,
        caFile: String? = nil, verifiesCertificates: Bool = true, followsRedirects: Bool = false
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.idleTimeout = idleTimeout
        self.caFile = caFile
        self.verifiesCertificates = verifiesCertificates
        self.followsRedirects = followsRedirects
    }
}
