import Foundation
import HTTPTransport

/// Sends one S3 request and waits for its whole answer, on the calling thread, over the shared
/// libcurl transport (`HTTPClient`): connections are kept per handle, bodies go out from memory or
/// a mapped file, answers come back in one buffer.
final class S3Transport: Sendable {
    /// What a request sends.
    enum Body {
        case none
        case data(Data)
        case file(URL)
    }

    /// A request that got no HTTP answer.
    struct Failure: Error {
        var kind: S3Error.Kind
        var message: String
    }

    private let client: HTTPClient

    /// `requestTimeout` bounds the time without a byte sent or received, `connectTimeout` the connect.
    init(requestTimeout: TimeInterval, connectTimeout: TimeInterval) {
        client = HTTPClient(settings: HTTPSettings(connectTimeout: connectTimeout, idleTimeout: requestTimeout))
    }

    /// Sends one request; `stallTimeout`, when given, replaces the request timeout if shorter. With
    /// `receive`, a 2xx answer's body goes to it piece by piece as it arrives (the response's body is then
    /// empty); what it throws stops the transfer and is an invalid answer.
    func send(
        method: String, url: URL, headers: [String: String], body: Body, stallTimeout: TimeInterval? = nil,
        receive: ((UnsafeRawBufferPointer) throws -> Void)? = nil
    ) -> Result<HTTPResponse, Failure> {
        let requestBody: HTTPRequest.Body
        switch body {
        case .none: requestBody = .none
        case .data(let data): requestBody = .bytes(data)
        case .file(let file): requestBody = .file(path: file.path)
        }
        // The transport sets Content-Length from the body itself. No `Expect: 100-continue` (libcurl
        // asks it above 1 MiB): some S3 servers never answer it, and a store refuses a PUT by its
        // signature only after reading the body anyway.
        var sent = headers.filter { $0.key.caseInsensitiveCompare("Content-Length") != .orderedSame }
            .map { (name: $0.key, value: $0.value) }
        sent.append((name: "Expect", value: ""))
        let request = HTTPRequest(method: method, url: url, headers: sent, body: requestBody, stallTimeout: stallTimeout)
        do {
            guard let receive else { return .success(try client.send(request)) }
            return .success(try client.send(request, receive: receive))
        } catch let error as HTTPTransportError {
            return .failure(Failure(kind: Self.kind(of: error), message: error.message))
        } catch {
            return .failure(Failure(kind: .invalidResponse, message: "\(error)"))
        }
    }

    private static func kind(of error: HTTPTransportError) -> S3Error.Kind {
        switch error.kind {
        case .unreachable, .unavailable: .unreachable
        case .timedOut: .timedOut
        case .invalidAnswer, .invalidRequest: .invalidResponse
        case .tls, .connectionLost: .connectionLost
        }
    }
}
