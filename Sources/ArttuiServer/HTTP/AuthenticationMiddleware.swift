import Hummingbird

/// Reads `Authorization: Bearer TOKEN` and sets the caller; a token that is unknown, revoked or
/// expired is refused with 401 rather than treated as signed out, so a client learns its token died,
/// and the detail says which of the three it is.
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
        let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
        guard let caller = try await accounts.caller(token: token) else {
            // Refusals are rare: only then is the token looked up again to say which kind it is.
            let refusal = try await accounts.refusal(token: token)
            throw APIError(.unauthorized, "\(refusal)")
        }
        var context = context
        context.caller = caller
        return try await next(request, context)
    }
}
