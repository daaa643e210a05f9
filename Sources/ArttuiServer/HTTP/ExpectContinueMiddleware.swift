import Hummingbird
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Answers `Expect: 100-continue` (RFC 9110 §10.1.1) the way it is meant: `100 Continue` goes out
/// when the handler first reads the body, so a request refused before that (a bad token, a project
/// the caller may not write, a pack over the size limit) gets its final 4xx at once, and the client
/// never sends the body. Hummingbird itself ignores the header, which leaves clients such as curl
/// waiting a second before they send the body anyway.
///
/// A request answered without its body being asked for also gets `Connection: close`: the client
/// may or may not send the body it announced, so the connection is not reused.
struct ExpectContinueMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let expectation = request.headers[.expect], expectation.lowercased() == "100-continue",
              let channel = context.channel
        else { return try await next(request, context) }
        let signal = ContinueSignal(channel: channel)
        var request = request
        request.body = RequestBody(asyncSequence: ContinueOnFirstRead(body: request.body, signal: signal))
        var response = try await next(request, context)
        if !signal.wasSent { response.headers[.connection] = "close" }
        return response
    }
}

/// Writes `100 Continue` on the request's connection, once.
final class ContinueSignal: Sendable {
    private let channel: any Channel
    private let sent = Mutex(false)

    init(channel: any Channel) {
        self.channel = channel
    }

    /// Whether the interim response went out (the body was asked for).
    var wasSent: Bool { sent.withLock { $0 } }

    /// Sends `100 Continue` unless it was sent already; the write goes through the HTTP encoder ahead
    /// of the final response, which the handler has not written yet.
    func send() async throws {
        let first = sent.withLock { sent in
            defer { sent = true }
            return !sent
        }
        guard first else { return }
        try await channel.writeAndFlush(HTTPResponsePart.head(HTTPResponse(status: .continue)))
    }
}

/// The request body, sending `100 Continue` before the first read.
struct ContinueOnFirstRead: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let body: RequestBody
    let signal: ContinueSignal

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let signal: ContinueSignal

        mutating func next() async throws -> ByteBuffer? {
            try await signal.send()
            return try await base.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: body.makeAsyncIterator(), signal: signal)
    }
}
