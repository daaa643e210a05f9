import Foundation

/// A `find --where` expression (or `--sort` key) that cannot be read, with where it went wrong.
public struct QueryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The expression as given.
    public var expression: String
    /// Where the problem is, in characters from the start of `expression` (its length for "at the end").
    public var offset: Int
    /// What is wrong, such as `expected a value after '>'`.
    public var reason: String

    /// Creates an error.
    public init(expression: String, offset: Int, reason: String) {
        self.expression = expression
        self.offset = offset
        self.reason = reason
    }

    /// One line: the problem, its column (1-based) and the expression.
    public var description: String {
        "\(reason) at column \(offset + 1) of \(quoted(expression))"
    }

    /// Two lines for a terminal: `prefix` + the problem + the expression, then a caret under the column.
    ///
    /// ```
    /// arttui: error: --where: expected a value after '>': acc > and
    ///                                                           ^
    /// ```
    ///
    /// - Parameter columns: how many terminal columns a text takes; counting characters puts the
    ///   caret too far left after a CJK character (two columns), so a terminal caller passes its own.
    public func caretLines(prefix: String, columns: (String) -> Int = { $0.count }) -> String {
        let head = "\(prefix)\(reason): "
        let caretColumn = columns(head + String(expression.prefix(offset)))
        return head + expression + "\n" + String(repeating: " ", count: caretColumn) + "^"
    }
}
