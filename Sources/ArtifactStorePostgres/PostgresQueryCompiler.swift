import ArtifactStore
import Foundation
import PostgresNIO

/// Turns a ``QueryExpression`` into a PostgreSQL condition on `version v`, every literal a bound parameter.
///
/// The same plan as the embedded catalog's compiler: metadata conditions look keys up in `version_key`,
/// the side table of flattened metadata kept by a trigger (one row per key path, or per array element
/// keyed by its array's path), so a selective condition reads one index range instead of every
/// version's `jsonb`. Key paths are `text[]`, so no key needs quoting.
struct PostgresQueryCompiler {
    /// The parameters of the SQL compiled so far, `$1` first.
    private(set) var bindings = PostgresBindings()
    private var count = 0

    /// A placeholder for `value`, appended to `bindings`.
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        bindings.append(value)
        count += 1
        return "$\(count)"
    }

    /// The SQL for `expression`; its parameters are appended to `bindings`.
    mutating func compile(_ expression: QueryExpression) throws -> String {
        switch expression {
        case .and(let left, let right): return "(\(try compile(left)) AND \(try compile(right)))"
        case .or(let left, let right): return "(\(try compile(left)) OR \(try compile(right)))"
        case .not(let inner): return "NOT \(try compile(inner))"
        case .exists(let field): return try metadata(field) { _ in "NOT element" }
        case .contains(let field, let value): return try contains(field, value)
        case .comparison(let field, let comparison, let value): return try compare(field, comparison, value)
        }
    }

    /// `v.id IN (versions with a key row satisfying condition)`; the planner turns it into a semi-join
    /// driven by the index range when that is selective.
    private mutating func metadata(_ field: QueryField, _ condition: (inout PostgresQueryCompiler) -> String) throws
        -> String
    {
        guard case .metadata(let keys) = field else { throw StoreError.catalog("not a metadata field: \(field)") }
        let key = bind(keys)
        return "v.id IN (SELECT version_id FROM version_key WHERE key = \(key) AND \(condition(&self)))"
    }

    private mutating func contains(_ field: QueryField, _ value: QueryValue) throws -> String {
        switch value {
        case .string(let text), .date(_, let text):
            // A substring of a string value, or an array element equal to the text: two index ranges
            // (only text values have a `txt`, so the first stays inside its index, as on SQLite).
            guard case .metadata(let keys) = field else { throw StoreError.catalog("not a metadata field: \(field)") }
            let key = bind(keys)
            let literal = bind(text)
            return """
                v.id IN (SELECT version_id FROM version_key WHERE key = \(key) AND NOT element AND txt IS NOT NULL \
                AND strpos(txt, \(literal)) > 0 UNION ALL SELECT version_id FROM version_key WHERE key = \(key) \
                AND element AND txt = \(literal))
                """
        case .number(let number): return try metadata(field) { "element AND num = \($0.bind(number))" }
        case .size(let bytes): return try metadata(field) { "element AND num = \($0.bind(Double(bytes)))" }
        case .bool(let flag): return try metadata(field) { _ in "element AND type = '\(flag)'" }
        case .null: return try metadata(field) { _ in "element AND type = 'null'" }
        }
    }

    private mutating func compare(_ field: QueryField, _ comparison: QueryComparison, _ value: QueryValue) throws
        -> String
    {
        let op = comparison.rawValue
        switch field {
        case .size, .files, .created:
            let column = field == .size ? "v.size" : field == .files ? "v.file_count" : "v.created_at"
            let bound: Double
            switch value {
            case .number(let number): bound = number
            case .size(let bytes): bound = Double(bytes)
            case .date(let date, _): bound = date.timeIntervalSince1970
            case .string(let text):
                guard let date = QueryDate.parse(text) else { throw StoreError.catalog("not a date: \(text)") }
                bound = date.timeIntervalSince1970
            case .bool, .null: throw StoreError.catalog("\(field) cannot compare with \(value)")
            }
            return "\(column) \(op) \(bind(bound))::double precision"
        case .metadata:
            // `!=` holds only for a present value of the literal's kind: a missing key is neither equal
            // nor unequal (`not (k = v)` matches it).
            switch value {
            case .number(let number):
                return try metadata(field) { "NOT element AND type = 'number' AND num \(op) \($0.bind(number))" }
            case .size(let bytes):
                return try metadata(field) { "NOT element AND type = 'number' AND num \(op) \($0.bind(Double(bytes)))" }
            case .string(let text), .date(_, let text):
                return try metadata(field) { "NOT element AND type = 'text' AND txt \(op) \($0.bind(text))" }
            case .bool(let flag):
                return try metadata(field) { _ in
                    comparison == .equal
                        ? "NOT element AND type = '\(flag)'"
                        : "NOT element AND type IN ('true', 'false') AND type != '\(flag)'"
                }
            case .null:
                return try metadata(field) { _ in
                    comparison == .equal ? "NOT element AND type = 'null'" : "NOT element AND type != 'null'"
                }
            }
        }
    }
}
