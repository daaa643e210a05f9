import Foundation

/// A request to a team server that failed, worded as the local errors are: one line naming the cause.
enum ServerError: Error, CustomStringConvertible {
    /// No connection: refused, no such host, network down.
    case unreachable(ServerURL, reason: String)
    /// No answer within the timeout.
    case timedOut(ServerURL, seconds: Double)
    /// The TLS handshake failed, usually an untrusted certificate.
    case tls(ServerURL, reason: String)
    /// 401: no token, or one the server does not accept; `token` says where it came from.
    case unauthorized(ServerURL, detail: String, token: TokenSource)
    /// 403: the caller may see the thing but not do this to it.
    case permissionDenied(detail: String)
    /// 404: absent, or invisible to the caller (the server does not say which).
    case notFound(detail: String)
    /// 409 naming chunks the server lacks: a commit to retry once they are sent again.
    case missingChunks(detail: String)
    /// Any other problem the server described.
    case problem(status: Int, detail: String)
    /// An answer that is not arttui's API: a proxy's error page, a redirect, another program.
    case unexpectedAnswer(ServerURL, what: String)

    var description: String {
        switch self {
        case .unreachable(let server, let reason): "cannot reach server \(server): \(reason)"
        case .timedOut(let server, let seconds):
            "server \(server) did not answer within \(Self.seconds(seconds)) (--timeout or $ARTTUI_TIMEOUT sets the limit)"
        case .tls(let server, let reason):
            "TLS connection to \(server) failed: \(reason) (--ca-cert FILE or $ARTTUI_CA_CERT trusts a private CA)"
        case .unauthorized(let server, let detail, let token): token.refusal(by: server, detail: detail)
        case .permissionDenied(let detail): "permission denied: \(detail)"
        // The server's detail says "… not found" as the local store's errors do, and reads the same.
        case .notFound(let detail): detail
        // A refusal reads as the local one does; a failure of the server itself says so.
        case .problem(let status, let detail): status < 500 ? detail : "\(detail) (HTTP \(status))"
        case .missingChunks(let detail): detail
        case .unexpectedAnswer(let server, let what): "server \(server) \(what)"
        }
    }

    /// Whether the answer may mean the server has no such route (a release older than the route):
    /// 404 or 405. A 404 for a missing thing reads the same, so a caller that falls back to an older
    /// request gets that refusal again from it.
    var isMissingRoute: Bool {
        switch self {
        case .notFound: true
        case .problem(let status, _): status == 405
        default: false
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
