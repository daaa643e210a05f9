/// One lexical unit of a `find --where` expression, with where it starts and how long it is.
struct QueryToken: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        /// A word or dotted key path such as `and`, `size` or `metadata.train."learning rate"`; each
        /// segment with whether it was quoted (a quoted segment is never a keyword).
        case path([String], quoted: [Bool])
        /// A number, possibly with a size unit (`0.9`, `-3`, `10MB`), as written.
        case number(String)
        /// A quoted string, unescaped.
        case string(String)
        /// A date or time such as `2024-05-01` or `2024-05-01T12:00:00Z`, as written.
        case date(String)
        /// `=`, `!=`, `<`, `<=`, `>`, `>=`.
        case comparison(QueryComparison)
        case openParenthesis
        case closeParenthesis
        case end
    }

    var kind: Kind
    /// Offset of the first character, in characters.
    var offset: Int
    /// Length in characters.
    var length: Int

    /// The keyword this token spells (`and`, `or`, `not`, `contains`, `exists`, `true`, `false`, `null`),
    /// case-insensitively; nil for anything else.
    var keyword: String? {
        guard case .path(let segments, let quoted) = kind, segments.count == 1, !quoted[0] else { return nil }
        let word = segments[0].lowercased()
        return QueryToken.keywords.contains(word) ? word : nil
    }

    static let keywords: Set<String> = ["and", "or", "not", "contains", "exists", "true", "false", "null"]
}
