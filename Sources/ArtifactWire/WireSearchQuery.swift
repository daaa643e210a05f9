import ArtifactStore
import Foundation

/// A `find` as the query string of `GET /api/v1/versions`: the client's options, as text, for the
/// server to parse with the same ``QueryParser`` the embedded store uses.
///
/// One mapping for both sides: the client builds `queryItems`, the server reads them back with
/// `init(parameters:)` and turns them into a ``VersionQuery`` with `versionQuery(catalogProject:)`.
public struct WireSearchQuery: Sendable, Equatable {
    /// Each `--where` expression; all must hold.
    public var conditions: [String]
    /// `ENTITY/PROJECT`, when the search is limited to one project.
    public var project: String?
    /// Only artifacts of this type.
    public var type: String?
    /// Only versions carrying this alias (`latest` included).
    public var alias: String?
    /// Only versions created after this date (`2024-05-01` or `2024-05-01T12:30:00Z`).
    public var createdAfter: String?
    /// Only versions created before this date.
    public var createdBefore: String?
    /// Only versions logged by this run id.
    public var loggedBy: String?
    /// `[-]KEY`: name, size, files, created or a metadata key (default `-created`).
    public var sort: String?
    /// At most this many versions (the server's page limit applies).
    public var limit: Int?

    /// Creates a query; with nothing set it finds every readable committed version, newest first.
    public init(
        conditions: [String] = [], project: String? = nil, type: String? = nil, alias: String? = nil,
        createdAfter: String? = nil, createdBefore: String? = nil, loggedBy: String? = nil, sort: String? = nil,
        limit: Int? = nil
    ) {
        self.conditions = conditions
        self.project = project
        self.type = type
        self.alias = alias
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
        self.loggedBy = loggedBy
        self.sort = sort
        self.limit = limit
    }

    /// The query string's items: `where` once per condition, then the other options that are set.
    public var queryItems: [URLQueryItem] {
        var items = conditions.map { URLQueryItem(name: "where", value: $0) }
        let options: [(String, String?)] = [
            ("project", project), ("type", type), ("alias", alias), ("created_after", createdAfter),
            ("created_before", createdBefore), ("logged_by", loggedBy), ("sort", sort), ("limit", limit.map(String.init)),
        ]
        for (name, value) in options { if let value { items.append(URLQueryItem(name: name, value: value)) } }
        return items
    }

    /// Reads the query string's (already percent-decoded) parameters, in order.
    /// - Throws: ``WireSearchQueryError`` for an unknown parameter, one given twice, or a bad limit.
    public init(parameters: [(name: String, value: String)]) throws {
        self.init()
        var seen = Set<String>()
        for (name, value) in parameters {
            if name != "where" {
                guard seen.insert(name).inserted else { throw WireSearchQueryError("query parameter \(name) is given twice") }
            }
            switch name {
            case "where": conditions.append(value)
            case "project": project = value
            case "type": type = value
            case "alias": alias = value
            case "created_after": createdAfter = value
            case "created_before": createdBefore = value
            case "logged_by": loggedBy = value
            case "sort": sort = value
            case "limit":
                guard let number = Int(value), number >= 1 else {
                    throw WireSearchQueryError("query parameter limit must be a positive integer, not \"\(value)\"")
                }
                limit = number
            default:
                throw WireSearchQueryError(
                    "unknown query parameter \"\(name)\": find takes where, project, type, alias, created_after, created_before, logged_by, sort and limit")
            }
        }
    }

    /// The core query: expressions and the sort key parsed, dates read; the project left to the caller
    /// (the server names catalog projects its own way).
    /// - Throws: ``WireQueryError`` for an expression or sort key that cannot be read (with where it
    ///   went wrong), ``WireSearchQueryError`` for a date that is not one.
    public func versionQuery() throws -> VersionQuery {
        var query = VersionQuery(type: type, alias: alias, loggedBy: loggedBy, limit: limit)
        for (index, condition) in conditions.enumerated() {
            do {
                query.conditions.append(try QueryParser.parse(condition))
            } catch let error as QueryError {
                throw WireQueryError(parameter: "where", index: index, error: error)
            }
        }
        if let sort {
            do {
                query.sort = try QueryParser.parseSortKey(sort)
            } catch let error as QueryError {
                throw WireQueryError(parameter: "sort", index: 0, error: error)
            }
        }
        func date(_ text: String?, _ name: String) throws -> Date? {
            guard let text else { return nil }
            guard let date = QueryDate.parse(text) else {
                throw WireSearchQueryError("query parameter \(name) \"\(text)\" is not a date; write 2024-05-01 or 2024-05-01T12:30:00Z")
            }
            return date
        }
        query.createdAfter = try date(createdAfter, "created_after")
        query.createdBefore = try date(createdBefore, "created_before")
        return query
    }
}

/// A search's query string that cannot be used, named in one line.
public struct WireSearchQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    /// Creates the error.
    public init(_ description: String) { self.description = description }
}

/// An expression or sort key the server could not read: sent in the problem (`query`) so a client can
/// put a caret under the place, as the local `find` does.
public struct WireQueryError: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    /// `where` or `sort`.
    public var parameter: String
    /// Which `where` (0 for the first, and for `sort`).
    public var index: Int
    /// The expression as sent.
    public var expression: String
    /// Where it went wrong, in characters from its start.
    public var offset: Int
    /// What is wrong, such as `expected a value after '>'`.
    public var reason: String

    /// The wire shape of a parser's error.
    public init(parameter: String, index: Int, error: QueryError) {
        self.parameter = parameter
        self.index = index
        expression = error.expression
        offset = error.offset
        reason = error.reason
    }

    /// The parser's error again, for `QueryError.caretLines(prefix:)`.
    public var queryError: QueryError { QueryError(expression: expression, offset: offset, reason: reason) }

    /// `where: REASON at column N of 'EXPR'`.
    public var description: String { "\(parameter): \(queryError)" }
}

/// The answer of `GET /api/v1/versions`: matching versions the caller may read, in the query's order.
public struct WireSearchResult: Codable, Sendable, Equatable {
    /// The versions, at most the query's limit.
    public var versions: [WireVersion]
    /// The limit applied (the query's, or the server's default).
    public var limit: Int

    /// Creates the answer.
    public init(versions: [WireVersion], limit: Int) {
        self.versions = versions
        self.limit = limit
    }
}
