import ArtifactWire
import CCurlTrust
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Requests to one team server over HTTP(S) with Foundation's URLSession: JSON in and out, the token
/// in the `Authorization` header only, problem+json answers turned into `ServerError`s.
final class ServerClient {
    /// The server.
    let server: ServerURL
    /// How long a request may go unanswered.
    let timeout: TimeInterval
    private let token: String?
    private let session: URLSession

    /// A client for `server`; `caCertificate` replaces the trusted roots, `insecure` verifies nothing.
    init(server: ServerURL, token: String?, timeout: TimeInterval, caCertificate: String?, insecure: Bool) {
        self.server = server
        self.token = token
        self.timeout = timeout
        #if canImport(FoundationNetworking)
        Self.configureTrust(caCertificate: caCertificate, insecure: insecure)
        #endif
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
    }

    deinit { session.invalidateAndCancel() }

    /// `GET path`, decoded as `Answer`.
    func get<Answer: Decodable>(_ path: String, query: [URLQueryItem] = [], as _: Answer.Type = Answer.self) throws
        -> Answer
    {
        try decode(Answer.self, from: send("GET", path, query: query, body: nil), request: "GET \(path)")
    }

    /// `method path` with `body` as JSON, decoded as `Answer`.
    func send<Body: Encodable, Answer: Decodable>(
        _ method: String, _ path: String, body: Body, as _: Answer.Type = Answer.self
    ) throws -> Answer {
        let encoded = try JSONEncoder().encode(body)
        return try decode(Answer.self, from: send(method, path, query: [], body: encoded), request: "\(method) \(path)")
    }

    /// `method path?query` without a body, decoded as `Answer`.
    func call<Answer: Decodable>(
        _ method: String, _ path: String, query: [URLQueryItem] = [], as _: Answer.Type = Answer.self
    ) throws -> Answer {
        try decode(Answer.self, from: send(method, path, query: query, body: nil), request: "\(method) \(path)")
    }

    /// Who the server signs the token in as (`GET /api/v1/whoami`).
    func whoami() throws -> WireIdentity { try get("/api/v1/whoami") }

    private func decode<Answer: Decodable>(_: Answer.Type, from data: Data, request: String) throws -> Answer {
        do {
            return try JSONDecoder().decode(Answer.self, from: data)
        } catch {
            throw ServerError.unexpectedAnswer(server, what: "answered \(request) with something that is not arttui's API")
        }
    }

    /// Sends one request and returns the body of a 2xx answer; `body` is JSON unless `contentType` says otherwise.
    func send(
        _ method: String, _ path: String, query: [URLQueryItem], body: Data?, contentType: String = "application/json"
    ) throws -> Data {
        var request = URLRequest(url: server.url(path, query: query), timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            outcome.set(data: data, response: response, error: error)
            done.signal()
        }
        task.resume()
        // libcurl's own timeouts do not cover every stage; this bound does.
        if done.wait(timeout: .now() + timeout) == .timedOut {
            task.cancel()
            throw ServerError.timedOut(server, seconds: timeout)
        }
        let (data, response, error) = outcome.get()
        if let error { throw transportError(error) }
        guard let http = response as? HTTPURLResponse else {
            throw ServerError.unexpectedAnswer(server, what: "gave no HTTP answer to \(method) \(path)")
        }
        let bytes = data ?? Data()
        if (200..<300).contains(http.statusCode) { return bytes }
        throw answerError(status: http.statusCode, body: bytes, response: http, request: "\(method) \(path)")
    }

    private func transportError(_ error: Error) -> ServerError {
        let reason = scrub((error as NSError).localizedDescription)
        guard let urlError = error as? URLError else { return .unreachable(server, reason: reason) }
        switch urlError.code {
        case .timedOut: return .timedOut(server, seconds: timeout)
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
             .clientCertificateRequired:
            return .tls(server, reason: reason)
        default:
            // libcurl reports some certificate failures under codes of its own.
            if reason.localizedCaseInsensitiveContains("certificate") || reason.contains("SSL") {
                return .tls(server, reason: reason)
            }
            return .unreachable(server, reason: reason)
        }
    }

    private func answerError(status: Int, body: Data, response: HTTPURLResponse, request: String) -> ServerError {
        guard let problem = try? JSONDecoder().decode(ServerProblem.self, from: body) else {
            if (300..<400).contains(status) {
                let target = response.value(forHTTPHeaderField: "Location").map { " to \($0)" } ?? ""
                return .unexpectedAnswer(server, what: "redirects \(request)\(target) (HTTP \(status)); give the final address")
            }
            return .unexpectedAnswer(server, what: "answered \(request) with HTTP \(status) and no problem description")
        }
        let detail = scrub(problem.detail.replacingOccurrences(of: "\n", with: " "))
        switch status {
        case 401: return .unauthorized(server, detail: detail, hadToken: token != nil)
        case 403: return .permissionDenied(detail: detail)
        case 404: return .notFound(detail: detail)
        default: return .problem(status: status, detail: detail)
        }
    }

    /// Takes the token out of any text that will be shown, whatever put it there.
    private func scrub(_ text: String) -> String {
        guard let token, !token.isEmpty else { return text }
        return text.replacingOccurrences(of: token, with: "[token]")
    }

    #if canImport(FoundationNetworking)
    private static func configureTrust(caCertificate: String?, insecure: Bool) {
        arttui_curl_trust(caCertificate, insecure ? 1 : 0)
    }
    #endif
}

/// A completion handler's results, handed from URLSession's queue to the waiting caller.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var response: URLResponse?
    private var error: Error?

    func set(data: Data?, response: URLResponse?, error: Error?) {
        lock.lock()
        defer { lock.unlock() }
        (self.data, self.response, self.error) = (data, response, error)
    }

    func get() -> (Data?, URLResponse?, Error?) {
        lock.lock()
        defer { lock.unlock() }
        return (data, response, error)
    }
}

/// Follows no redirect: the token must not travel to an address the user did not name.
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
