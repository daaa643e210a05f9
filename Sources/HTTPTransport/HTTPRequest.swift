import Foundation

/// One HTTP request: method, absolute URL, headers and what it sends.
public struct HTTPRequest: Sendable {
    /// What a request sends.
    public enum Body: Sendable {
        /// Nothing; `PUT`, `POST` and `PATCH` send `Content-Length: 0`.
        case none
        /// These bytes, sent from memory without a copy of their own.
        case bytes(Data)
        /// A file's whole content, mapped into memory while it is sent.
        case file(path: String)
    }

    /// `GET`, `HEAD`, `PUT`, ...
    public var method: String
    /// An `http://` or `https://` URL; other schemes are refused.
    public var url: URL
    /// Headers in the order given; `Content-Length` and `Host` come from the body and the URL. An
    /// empty value leaves out a header libcurl adds by itself (`Expect`, `Accept`, `Content-Type`).
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: Body
    /// How long the server may stay silent between the request's last byte and its answer's first,
    /// for a request it works on before answering; nil for the client's idle timeout, `.infinity`
    /// for no limit (TCP keep-alive probes still find a peer that has gone).
    public var answerTimeout: TimeInterval?
    /// How long this request may go without a byte sent or received, when shorter than the client's
    /// idle timeout (which it then replaces, the answer wait included unless `answerTimeout` is set):
    /// for a caller with a deadline of its own, such as an S3 operation and its retries; nil keeps the
    /// client's.
    public var stallTimeout: TimeInterval?

    /// Creates a request.
    public init(
        method: String, url: URL, headers: [(name: String, value: String)] = [], body: Body = .none,
        answerTimeout: TimeInterval? = nil, stallTimeout: TimeInterval? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.answerTimeout = answerTimeout
        self.stallTimeout = stallTimeout
    }
}
