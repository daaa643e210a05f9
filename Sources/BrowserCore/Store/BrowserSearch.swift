import ArtifactStore

/// An `F` search as the user typed it: the expression's text and the query parsed from it, made
/// together so the two cannot disagree. A store that runs queries itself takes `query`; a team server
/// takes `expression`, which it reads with the same `QueryParser`, so the language has one implementation.
public struct BrowserSearch: Hashable, Sendable {
    /// The `find --where` expression, as typed.
    public let expression: String
    /// `expression` parsed, with the result limit.
    public let query: VersionQuery

    /// Parses `expression`.
    /// - Throws: `QueryError` with where the expression went wrong.
    public init(expression: String, limit: Int?) throws {
        self.expression = expression
        query = VersionQuery(conditions: [try QueryParser.parse(expression)], limit: limit)
    }
}
