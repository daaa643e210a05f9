import Foundation
import GRDB

/// Turns a ``QueryExpression`` into an SQLite condition on `version v`, with every literal a bound parameter.
///
/// Metadata conditions look keys up in `version_key`, the side table of flattened metadata that the
/// catalog's triggers keep (one row per key path, or per array element keyed by its array's path), so a
/// selective condition reads only its index range instead of parsing every version's JSON.
struct SQLiteQueryCompiler {
    /// SQLite's own spelling of a key path (`$.train.lr`, `$."learning rate"`), as its `json_tree` writes it.
    let keyPath: ([String]) throws -> String
    private(set) var arguments: [DatabaseValueConvertible?] = []

    init(keyPath: @escaping ([String]) throws -> String) {
        self.keyPath = keyPath
    }

    /// The SQL for `expression`; its parameters are appended to `arguments`.
    mutating func compile(_ expression: QueryExpression) throws -> String {
        switch expression {
        case .and(let left, let right): return "(\(try compile(left)) AND \(try compile(right)))"
        case .or(let left, let right): return "(\(try compile(left)) OR \(try compile(right)))"
        case .not(let inner): return "NOT \(try compile(inner))"
        case .exists(let field): return try metadata(field, "element = 0")
        case .contains(let field, let value): return try contains(field, value)
        case .comparison(let field, let comparison, let value): return try compare(field, comparison, value)
        }
    }

    private mutating func bind(_ value: DatabaseValueConvertible?) -> String {
        arguments.append(value)
        return "?"
    }

    /// `v.id IN (versions whose key row satisfies condition)`: SQLite drives the outer query from the
    /// subquery's rows when it is selective.
    private mutating func metadata(_ field: QueryField, _ condition: String, _ values: [DatabaseValueConvertible?] = [])
        throws -> String
    {
        guard case .metadata(let keys) = field else { throw StoreError.catalog("not a metadata field: \(field)") }
        let key = bind(try keyPath(keys))
        arguments.append(contentsOf: values)
        return "v.id IN (SELECT versionId FROM version_key WHERE key = \(key) AND \(condition))"
    }

    private mutating func contains(_ field: QueryField, _ value: QueryValue) throws -> String {
        switch value {
        case .string(let text), .date(_, let text):
            // Two index ranges rather than one OR: an array element equal to the text is an equality
            // lookup on (key, element, text); only the substring test reads every string of the key.
            guard case .metadata(let keys) = field else { throw StoreError.catalog("not a metadata field: \(field)") }
            let path = try keyPath(keys)
            arguments.append(contentsOf: [path, text, path, text])
            return """
                v.id IN (SELECT versionId FROM version_key WHERE key = ? AND element = 0 AND type = 'text' \
                AND instr(text, ?) > 0 UNION ALL SELECT versionId FROM version_key WHERE key = ? AND element = 1 \
                AND text = ?)
                """
        case .number(let number): return try metadata(field, "element = 1 AND num = ?", [number])
        case .size(let bytes): return try metadata(field, "element = 1 AND num = ?", [bytes])
        case .bool(let flag): return try metadata(field, "element = 1 AND type = '\(flag ? "true" : "false")'")
        case .null: return try metadata(field, "element = 1 AND type = 'null'")
        }
    }

    private mutating func compare(_ field: QueryField, _ comparison: QueryComparison, _ value: QueryValue) throws
        -> String
    {
        let op = comparison.rawValue
        switch field {
        case .size, .files, .created:
            let column = field == .size ? "v.size" : field == .files ? "v.fileCount" : "v.createdAt"
            let bound: DatabaseValueConvertible
            switch value {
            case .number(let number): bound = number
            case .size(let bytes): bound = bytes
            case .date(let date, _): bound = date.timeIntervalSince1970
            case .string(let text):
                guard let date = QueryDate.parse(text) else { throw StoreError.catalog("not a date: \(text)") }
                bound = date.timeIntervalSince1970
            case .bool, .null: throw StoreError.catalog("\(field) cannot compare with \(value)")
            }
            return "\(column) \(op) \(bind(bound))"
        case .metadata:
            // `!=` holds only for a present value of the literal's kind: a missing key is neither equal
            // nor unequal (`not (k = v)` matches it).
            switch value {
            case .number(let number):
                return try metadata(field, "element = 0 AND type IN ('integer', 'real') AND num \(op) ?", [number])
            case .size(let bytes):
                return try metadata(field, "element = 0 AND type IN ('integer', 'real') AND num \(op) ?", [bytes])
            case .string(let text), .date(_, let text):
                return try metadata(field, "element = 0 AND type = 'text' AND text \(op) ?", [text])
            case .bool(let flag):
                let name = flag ? "true" : "false"
                return try metadata(
                    field, comparison == .equal
                        ? "element = 0 AND type = '\(name)'"
                        : "element = 0 AND type IN ('true', 'false') AND type != '\(name)'")
            case .null:
                return try metadata(field, comparison == .equal ? "element = 0 AND type = 'null'" : "element = 0 AND type != 'null'")
            }
        }
    }
}
