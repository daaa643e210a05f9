import ArtifactStore
import ArtifactStorePostgres
import ArtifactWire
import Foundation
import Hummingbird
import NIOCore
import S3Client

/// An error answered as `application/problem+json` with a one-line detail.
public struct APIError: HTTPResponseError, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// One line naming what is wrong.
    public var detail: String
    /// For a commit refused for missing chunks: which.
    public var missing: [String]?
    /// For a search whose expression cannot be read: which, and where.
    public var query: WireQueryError?

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ detail: String, missing: [String]? = nil, query: WireQueryError? = nil) {
        self.status = status
        self.detail = detail.replacingOccurrences(of: "\n", with: " ")
        self.missing = missing
        self.query = query
    }

    /// The problem document.
    public var problem: Problem {
        Problem(title: status.reasonPhrase, status: status.code, detail: detail, missing: missing, query: query)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(problem)
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Common answers

    /// 404 for anything the caller may not see, exactly as for what does not exist.
    static func notFound(_ what: String) -> APIError { APIError(.notFound, "\(what) not found") }

    /// 404 for a project, in the local store's words (`project "ENTITY/PROJECT" not found`).
    static func projectNotFound(_ path: String) -> APIError {
        APIError(.notFound, StoreError.projectNotFound(project: path).description)
    }

    /// 404 for a run, in the local store's words (`run "ID" not found`).
    static func runNotFound(_ id: String) -> APIError {
        APIError(.notFound, StoreError.runNotFound(id: id).description)
    }

    /// 401: the request needs a token.
    static let tokenRequired = APIError(.unauthorized, "this request needs a token: send Authorization: Bearer TOKEN")

    /// The answer for an error a handler threw, with catalog project names shown as `ENTITY/PROJECT`.
    static func from(_ error: any Error, project: ProjectRecord? = nil) -> APIError {
        if let error = error as? APIError { return error }
        var detail = "\(error)"
        if let project { detail = detail.replacingOccurrences(of: project.catalogName, with: project.path) }
        switch error {
        case let error as StoreError:
            return APIError(status(of: error), detail)
        case let error as AccountError:
            switch error {
            case .invalidEntityName: return APIError(.badRequest, detail)
            case .userNotFound, .teamNotFound: return APIError(.notFound, detail)
            case .entityExists, .projectExists: return APIError(.conflict, detail)
            case .databaseUnavailable: return APIError(.serviceUnavailable, detail)
            }
        case is PostgresCatalogError:
            return APIError(.serviceUnavailable, "the catalog database is unavailable: \(detail)")
        case let error as S3Error where error.kind != .noSuchKey:
            return APIError(.serviceUnavailable, "the object store is unavailable: \(detail)")
        case let error as WireQueryError:
            return APIError(.badRequest, error.description, query: error)
        case let error as WireSearchQueryError:
            return APIError(.badRequest, error.description)
        case let error as DecodingError:
            return APIError(.badRequest, "the request body is not the JSON this endpoint takes: \(describe(error))")
        default:
            return APIError(.internalServerError, detail)
        }
    }

    private static func status(of error: StoreError) -> HTTPResponse.Status {
        HTTPResponse.Status(code: error.kind.httpStatus)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the body" : keys.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context): return "\(path(context)) is missing \"\(key.stringValue)\""
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
