import Foundation

/// An `application/problem+json` body (RFC 9457): every error the server answers.
public struct Problem: Codable, Sendable, Equatable, Error {
    /// A short summary of the kind of problem, such as `Not Found`.
    public var title: String
    /// The HTTP status.
    public var status: Int
    /// One line naming what is wrong.
    public var detail: String
    /// For 409 on a commit: the chunks to upload again.
    public var missing: [String]?
    /// For 400 on a search: the expression that could not be read and where.
    public var query: WireQueryError?

    /// Creates a problem.
    public init(title: String, status: Int, detail: String, missing: [String]? = nil, query: WireQueryError? = nil) {
        self.title = title
        self.status = status
        self.detail = detail
        self.missing = missing
        self.query = query
    }
}
