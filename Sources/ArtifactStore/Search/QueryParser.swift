import Foundation

/// Reads the `find --where` language into a ``QueryExpression``.
///
/// ```
/// expression := term ("or" term)*
/// term       := factor ("and" factor)*
/// factor     := "not" factor | "(" expression ")" | condition
/// condition  := field ("=" | "!=" | "<" | "<=" | ">" | ">=") value
///             | field "contains" value | field "exists"
/// field      := "size" | "files" | "created" | ["metadata."] key ("." key)*
/// value      := number | size | "string" | 'string' | true | false | null | date
/// ```
/// Keywords are case-insensitive; `not` binds tighter than `and`, which binds tighter than `or`.
/// Every error is a ``QueryError`` pointing at the token where reading stopped.
///
/// ```swift
/// try QueryParser.parse("metadata.train.lr < 1e-3 and (size > 1GB or not best exists)")
/// ```
public struct QueryParser {
    private let text: String
    private let tokens: [QueryToken]
    private var index = 0

    private init(_ text: String) throws {
        self.text = text
        self.tokens = try QueryLexer.tokens(of: text)
    }

    /// Parses a whole expression.
    /// - Throws: `QueryError` with the position of the first problem.
    public static func parse(_ text: String) throws -> QueryExpression {
        var parser = try QueryParser(text)
        if parser.current.kind == .end { throw parser.failure("empty expression; write a condition such as acc > 0.9") }
        let expression = try parser.expression()
        switch parser.current.kind {
        case .end: return expression
        case .closeParenthesis: throw parser.failure("unexpected ')' with no matching '('")
        default: throw parser.failure("expected 'and', 'or' or the end of the expression")
        }
    }

    /// Parses a sort key: `[-]FIELD`, where `-` means descending.
    /// - Throws: `QueryError` when the field cannot be read.
    public static func parseSortKey(_ text: String) throws -> VersionSortKey {
        let descending = text.hasPrefix("-")
        let body = descending ? String(text.dropFirst()) : text
        if body.lowercased() == "name" { return VersionSortKey(field: .name, descending: descending) }
        var parser = try QueryParser(body)
        guard parser.current.kind != .end else {
            throw QueryError(expression: text, offset: text.count, reason: "expected a field to sort by")
        }
        do {
            let field = try parser.field()
            guard parser.current.kind == .end else { throw parser.failure("expected the end of the sort key") }
            return VersionSortKey(field: .field(field), descending: descending)
        } catch var error as QueryError {
            // Point into the text as the user wrote it, sign included.
            error.expression = text
            error.offset += descending ? 1 : 0
            throw error
        }
    }

    // MARK: - Grammar

    private var current: QueryToken { tokens[index] }

    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    private func failure(_ reason: String, at token: QueryToken? = nil) -> QueryError {
        QueryError(expression: text, offset: (token ?? current).offset, reason: reason)
    }

    private mutating func expression() throws -> QueryExpression {
        var left = try term()
        while current.keyword == "or" {
            advance()
            left = .or(left, try term())
        }
        return left
    }

    private mutating func term() throws -> QueryExpression {
        var left = try factor()
        while current.keyword == "and" {
            advance()
            left = .and(left, try factor())
        }
        return left
    }

    private mutating func factor() throws -> QueryExpression {
        if current.keyword == "not" {
            advance()
            return .not(try factor())
        }
        if current.kind == .openParenthesis {
            let opening = current
            advance()
            if current.kind == .closeParenthesis { throw failure("empty parentheses") }
            let inner = try expression()
            guard current.kind == .closeParenthesis else {
                if current.kind == .end { throw failure("unclosed '(': no matching ')'", at: opening) }
                throw failure("expected ')', 'and' or 'or'")
            }
            advance()
            return inner
        }
        return try condition()
    }

    private mutating func condition() throws -> QueryExpression {
        let fieldToken = current
        let field = try self.field()
        let operatorToken = current
        switch operatorToken.kind {
        case .comparison(let comparison):
            advance()
            let valueToken = current
            let value = try self.value(after: operatorToken)
            try check(comparison, field, value, fieldToken: fieldToken, operatorToken: operatorToken, valueToken: valueToken)
            return .comparison(field, comparison, value)
        default:
            switch operatorToken.keyword {
            case "contains":
                guard case .metadata = field else {
                    throw failure("'contains' applies to metadata keys, not '\(field)'", at: operatorToken)
                }
                advance()
                let valueToken = current
                let value = try self.value(after: operatorToken)
                if case .size = value {
                    throw failure("'contains' takes a string, number, boolean or null, not a size", at: valueToken)
                }
                return .contains(field, value)
            case "exists":
                guard case .metadata = field else {
                    throw failure("'exists' applies to metadata keys; '\(field)' always exists", at: operatorToken)
                }
                advance()
                return .exists(field)
            default:
                throw failure("expected an operator after '\(field)': = != < <= > >= contains exists")
            }
        }
    }

    /// `size`, `files`, `created`, `metadata.KEY…` or a bare `KEY…` (a metadata key).
    private mutating func field() throws -> QueryField {
        let token = current
        guard case .path(let segments, let quoted) = token.kind else {
            if token.kind == .end { throw failure("expected a condition such as acc > 0.9 at the end") }
            throw failure("expected a field name (size, files, created or a metadata key), 'not' or '('")
        }
        if let keyword = token.keyword {
            throw failure("expected a field name, found the keyword '\(keyword)'; write metadata.\(keyword) for a key of that name")
        }
        advance()
        if segments.count == 1 && !quoted[0] {
            switch segments[0] {
            case "size": return .size
            case "files": return .files
            case "created": return .created
            case "metadata": throw failure("name a key after 'metadata.', as in metadata.train.lr", at: token)
            default: break
            }
        }
        if segments[0] == "metadata" && !quoted[0] { return .metadata(Array(segments.dropFirst())) }
        return .metadata(segments)
    }

    private mutating func value(after operatorToken: QueryToken) throws -> QueryValue {
        let token = current
        let operatorText = String(Array(text)[operatorToken.offset..<(operatorToken.offset + operatorToken.length)])
        switch token.kind {
        case .number(let literal):
            advance()
            return try number(literal, token: token)
        case .string(let string):
            advance()
            return .string(string)
        case .date(let literal):
            guard let date = QueryDate.parse(literal) else {
                throw failure("'\(literal)' is not a date; write 2024-05-01 or 2024-05-01T12:30:00Z", at: token)
            }
            advance()
            return .date(date, text: literal)
        case .path(let segments, _):
            switch token.keyword {
            case "true": advance(); return .bool(true)
            case "false": advance(); return .bool(false)
            case "null": advance(); return .null
            default:
                let word = segments.joined(separator: ".")
                throw failure("expected a value after '\(operatorText)', found the bare word '\(word)'; quote strings: \"\(word)\"")
            }
        default:
            throw failure("expected a value after '\(operatorText)': a number, size, \"string\", true, false, null or date")
        }
    }

    /// A plain number, or a number with a unit read by ``ByteSize`` (`10MB`, `1.5GiB`).
    private func number(_ literal: String, token: QueryToken) throws -> QueryValue {
        // The lexer took an exponent only when digits follow it (`1e-4`), so a final letter means a unit.
        guard literal.last?.isLetter == true else {
            guard let number = Double(literal), number.isFinite else {
                throw failure("'\(literal)' is not a number", at: token)
            }
            return .number(number)
        }
        if literal.hasPrefix("-") { throw failure("a size may not be negative", at: token) }
        do {
            return .size(try ByteSize.parse(literal.hasPrefix("+") ? String(literal.dropFirst()) : literal))
        } catch let StoreError.invalidSize(_, reason) {
            throw failure("size '\(literal)' \(reason)", at: token)
        }
    }

    /// Refuses conditions that cannot mean anything, pointing at the part at fault.
    private func check(
        _ comparison: QueryComparison, _ field: QueryField, _ value: QueryValue,
        fieldToken: QueryToken, operatorToken: QueryToken, valueToken: QueryToken
    ) throws {
        switch (field, value) {
        case (.size, .number), (.size, .size), (.files, .number), (.created, .date), (.metadata, _):
            break
        case (.created, .string(let text)):
            if QueryDate.parse(text) == nil {
                throw failure("'created' compares with dates such as 2024-05-01, not \"\(text)\"", at: valueToken)
            }
        case (.size, _):
            throw failure("'size' compares with numbers and sizes such as 10MB", at: valueToken)
        case (.files, _):
            throw failure("'files' compares with numbers", at: valueToken)
        case (.created, _):
            throw failure("'created' compares with dates such as 2024-05-01", at: valueToken)
        }
        if comparison.isOrdering {
            switch value {
            case .bool, .null:
                throw failure("'\(comparison.rawValue)' cannot order booleans or null; use = or !=", at: operatorToken)
            default: break
            }
        }
    }
}
