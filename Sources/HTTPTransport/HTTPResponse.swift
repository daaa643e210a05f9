import Foundation

/// The final answer to a request: status, headers and, unless it was streamed, the body.
public struct HTTPResponse: Sendable {
    /// The HTTP status code.
    public var statusCode: Int
    /// The headers in the order received (of the final answer only, not of `100 Continue`).
    public var headers: [(name: String, value: String)]
    /// The body; empty when a 2xx body went to a streaming receiver.
    public var body: Data

    /// Creates a response.
    public init(statusCode: Int, headers: [(name: String, value: String)], body: Data) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }

    /// The first header called `name`, ignoring case.
    public func value(forHTTPHeaderField name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(statusCode) }
}
