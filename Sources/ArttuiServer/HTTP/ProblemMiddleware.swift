import Foundation
import Hummingbird
import Logging

/// Answers every error as `application/problem+json`, names the request id in a response header,
/// and logs one line per request (never its headers: they carry tokens).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        var response: Response
        do {
            if let query = request.uri.query, Self.carriesToken(query) {
                throw APIError(.badRequest, "tokens are never accepted in a URL; send Authorization: Bearer TOKEN")
            }
            response = try await next(request, context)
        } catch {
            response = try Self.problem(for: error, context: context).response(from: request, context: context)
        }
        response.headers[.init("X-Request-Id")!] = context.id
        let elapsed = ContinuousClock.now - started
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
                "ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
            ])
        return response
    }

    static func problem(for error: any Error, context: Context) -> APIError {
        if let error = error as? APIError { return error }
        if let error = error as? HTTPError {
            let detail = error.body ?? (error.status == .notFound ? "no such endpoint" : error.status.reasonPhrase)
            return APIError(error.status, detail)
        }
        if let error = error as? any HTTPResponseError {
            return APIError(error.status, error.status.reasonPhrase)
        }
        let mapped = APIError.from(error)
        if mapped.status == .internalServerError {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
        }
        return mapped
    }

    private static func carriesToken(_ query: String) -> Bool {
        query.split(separator: "&").contains { pair in
            let key = pair.split(separator: "=", maxSplits: 1).first.map { $0.lowercased() } ?? ""
            return key == "token" || key == "access_token" || key == "api_key"
        }
    }
}
