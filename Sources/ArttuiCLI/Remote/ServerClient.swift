import ArtifactWire
import Foundation
import HTTPTransport

/// Requests to one team server over HTTP(S) with the libcurl transport: JSON in and out, the token
/// in the `Authorization` header only, problem+json answers turned into `ServerError`s. Redirects
/// are never followed (the token must not travel to an address the user did not name). Safe to
/// share between threads: each request takes a pooled connection of its own.
final class ServerClient: Sendable {
    /// The server.
    let server: ServerURL
    /// How long connecting may take, and how long a request may go without a byte sent or received.
    let timeout: TimeInterval
    private let token: String?
    /// Where `token` came from, for the advice when the server refuses it.
    private let tokenSource: TokenSource
    private let http: HTTPClient

    /// A client for `server` sending `token` (which came from `tokenSource`); `caCertificate` replaces
    /// the trusted roots, `insecure` verifies nothing.
    init(
        server: ServerURL, token: String?, from tokenSource: TokenSource, timeout: TimeInterval,
        caCertificate: String?, insecure: Bool
    ) {
        self.server = server
        self.token = token
        self.tokenSource = token == nil ? .none : tokenSource
        self.timeout = timeout
        http = HTTPClient(settings: HTTPSettings(
            connectTimeout: timeout, idleTimeout: timeout, caFile: caCertificate, verifiesCertificates: !insecure,
            followsRedirects: false))
    }

    /// How long the server may stay silent between a request and its answer.
    enum AnswerWait {
        /// The timeout: the server answers at once (a lookup, a listing, a small change).
        case prompt
        /// As long as the server's work takes: it answers only once the work is done, and the work
        /// grows with the data (a verify reads every chunk it checks, a commit checks every chunk of
        /// its manifest, a pack is hashed and written to the bucket, a deletion removes objects, a
        /// records answer is read from the bucket before its first byte goes out). A fixed limit would
        /// fail such requests on a big store or a slow bucket; waiting is safe because a server that
        /// dies closes its connections, and TCP keep-alive probes (every `timeout`) find a host or link
        /// that has gone. Connecting, sending the request and receiving the answer keep the stall limit.
        case afterWork

        var answerTimeout: TimeInterval? { self == .afterWork ? .infinity : nil }
    }

    /// `GET path`, decoded as `Answer`.
    func get<Answer: Decodable>(
        _ path: String, query: [URLQueryItem] = [], as _: Answer.Type = Answer.self, wait: AnswerWait = .prompt
    ) throws -> Answer {
        try decode(Answer.self, from: send("GET", path, query: query, body: nil, wait: wait), request: "GET \(path)")
    }

    /// `method path` with `body` as JSON, decoded as `Answer`.
    func send<Body: Encodable, Answer: Decodable>(
        _ method: String, _ path: String, body: Body, as _: Answer.Type = Answer.self, wait: AnswerWait = .prompt
    ) throws -> Answer {
        let encoded = try JSONEncoder().encode(body)
        return try decode(
            Answer.self, from: send(method, path, query: [], body: encoded, wait: wait), request: "\(method) \(path)")
    }

    /// `method path?query` without a body, decoded as `Answer`.
    func call<Answer: Decodable>(
        _ method: String, _ path: String, query: [URLQueryItem] = [], as _: Answer.Type = Answer.self,
        wait: AnswerWait = .prompt
    ) throws -> Answer {
        try decode(Answer.self, from: send(method, path, query: query, body: nil, wait: wait), request: "\(method) \(path)")
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
        _ method: String, _ path: String, query: [URLQueryItem], body: Data?, contentType: String = "application/json",
        wait: AnswerWait = .prompt
    ) throws -> Data {
        var headers = [(name: "Accept", value: "application/json")]
        if let token { headers.append((name: "Authorization", value: "Bearer \(token)")) }
        if body != nil { headers.append((name: "Content-Type", value: contentType)) }
        let request = HTTPRequest(
            method: method, url: server.url(path, query: query), headers: headers, body: body.map { .bytes($0) } ?? .none,
            answerTimeout: wait.answerTimeout)
        let response: HTTPResponse
        do {
            response = try http.send(request)
        } catch {
            throw transportError(error)
        }
        if response.isSuccess { return response.body }
        throw answerError(
            status: response.statusCode, body: response.body, response: response, request: "\(method) \(path)")
    }

    /// Sends one request and hands a 2xx answer's body to `receive` piece by piece as it arrives, so
    /// a large answer is decoded while the rest is on the way and never held whole.
    /// - Throws: `ServerError`, or what `receive` threw (which stops the transfer).
    func send(
        _ method: String, _ path: String, body: Data, wait: AnswerWait = .prompt,
        receive: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var headers = [
            (name: "Accept", value: "application/octet-stream, application/problem+json"),
            (name: "Content-Type", value: "application/json"),
        ]
        if let token { headers.append((name: "Authorization", value: "Bearer \(token)")) }
        let request = HTTPRequest(
            method: method, url: server.url(path, query: []), headers: headers, body: .bytes(body),
            answerTimeout: wait.answerTimeout)
        let response: HTTPResponse
        do {
            response = try http.send(request, receive: receive)
        } catch let error as HTTPTransportError {
            throw transportError(error)
        }
        guard response.isSuccess else {
            throw answerError(
                status: response.statusCode, body: response.body, response: response, request: "\(method) \(path)")
        }
    }

    private func transportError(_ error: HTTPTransportError) -> ServerError {
        let reason = scrub(error.message)
        switch error.kind {
        case .timedOut: return .timedOut(server, seconds: timeout)
        case .tls: return .tls(server, reason: reason)
        case .invalidAnswer: return .unexpectedAnswer(server, what: "sent something that is not HTTP: \(reason)")
        case .connectionLost:
            if let cause = causeOfBrokenAnswer() {
                return .problem(status: 503, detail: "server \(server) broke off its answer (\(reason)): \(cause)")
            }
            return .unreachable(server, reason: reason)
        case .unreachable, .invalidRequest, .unavailable: return .unreachable(server, reason: reason)
        }
    }

    /// What the server's `/readyz` names as not answering, after a connection it broke off: a server
    /// whose bucket or database went away while it streamed an answer can no longer say so in that
    /// answer (its status went out first), and "cannot reach server" would blame the server. Nil when
    /// the server is gone or says it is ready. Bounded by the timeout, as every request is (the server
    /// bounds its own probe at 3 s).
    private func causeOfBrokenAnswer() -> String? {
        let request = HTTPRequest(
            method: "GET", url: server.url("/readyz", query: []), headers: [(name: "Accept", value: "application/json")],
            body: .none, answerTimeout: nil)
        guard let response = try? http.send(request), response.statusCode == 503,
              let problem = try? JSONDecoder().decode(ServerProblem.self, from: response.body)
        else { return nil }
        return scrub(problem.detail.replacingOccurrences(of: "\n", with: " "))
    }

    private func answerError(status: Int, body: Data, response: HTTPResponse, request: String) -> ServerError {
        guard let problem = try? JSONDecoder().decode(ServerProblem.self, from: body) else {
            if (300..<400).contains(status) {
                let target = response.value(forHTTPHeaderField: "Location").map { " to \($0)" } ?? ""
                return .unexpectedAnswer(server, what: "redirects \(request)\(target) (HTTP \(status)); give the final address")
            }
            return .unexpectedAnswer(server, what: "answered \(request) with HTTP \(status) and no problem description")
        }
        let detail = scrub(problem.detail.replacingOccurrences(of: "\n", with: " "))
        switch status {
        case 401: return .unauthorized(server, detail: detail, token: tokenSource)
        case 403: return .permissionDenied(detail: detail)
        case 404: return .notFound(detail: detail)
        case 409 where problem.missing != nil: return .missingChunks(detail: detail)
        default: return .problem(status: status, detail: detail)
        }
    }

    /// Takes the token out of any text that will be shown, whatever put it there.
    private func scrub(_ text: String) -> String {
        guard let token, !token.isEmpty else { return text }
        return text.replacingOccurrences(of: token, with: "[token]")
    }
}
