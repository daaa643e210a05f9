import Hummingbird

/// One endpoint: the router registers exactly these, and a test checks them against `openapi.yaml`.
public struct APIRoute: Sendable {
    /// The HTTP method.
    public var method: HTTPRequest.Method
    /// The path in Hummingbird's syntax (`:name` for a parameter).
    public var path: String
    /// Answers a request.
    public var handler: @Sendable (Request, ServerRequestContext) async throws -> Response

    /// The path in OpenAPI's syntax (`{name}` for a parameter).
    public var openAPIPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }.joined(separator: "/")
    }
}
