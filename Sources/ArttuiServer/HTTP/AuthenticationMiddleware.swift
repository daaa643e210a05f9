import Hummingbird

/// Reads `Authorization: Bearer TOKEN` and sets the caller; a token that is unknown, revoked or
/// expired is refused with 401 rather than treated as signed out, so a client learns its token died.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let accounts: AccountStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(.unauthorized, "the Authorization header must be \"Bearer TOKEN\"")
        }
        guard let caller = try await accounts.caller(token: String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
            throw APIError(.unauthorized, "the token is not valid: unknown, revoked or expired")
        }
        var context = context
        context.caller = caller
        return try await next(request, context)
    }
}
