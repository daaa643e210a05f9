import Foundation
import GRDB

/// Turns a ``QueryExpression`` into an SQLite condition on `version v`, with every literal a bound parameter.
///
/// Metadata conditions look keys up in `version_key`, the side table of flattened metadata that the
/// catalog's triggers keep (one row per key path, or per array element keyed by its array's path), so a
/// selective condition reads only its index range instead of parsing every version's JSON.
///
/// Two forms of the same condition: the set of versions meeting it (`v.id IN (…)`, for SQLite to drive
/// the search from its index range), or, `probing`, a test of one version's own key rows (`EXISTS …
/// versionId = v.id`, for a small window of candidates: the set form would gather every match first).
/// A probe names its index: SQLite's statistics cannot tell `key = ? AND num = ?` (a quarter of a million
/// rows) from `versionId = ?` (ten), and probing the first for every candidate took minutes.
/// PostgreSQL's planner chooses between the two forms itself, so its compiler writes only the set form.
struct SQLiteQueryCompiler {
    /// SQLite's own spelling of a key path (`$.train.lr`, `$."learning rate"`), as its `json_tree` writes it.
    let keyPath: ([String]) throws -> String
    /// Whether conditions test each candidate version rather than name the set of matches.
    var probing: Bool
    private(set) var arguments: [DatabaseValueConvertible?] = []
    /// Set while ``matchSet(_:)`` compiles: the subquery alone, unwrapped.
    private var bare = false

    init(probing: Bool = false, keyPath: @escaping ([String]) throws -> String) {
        self.probing = probing
        self.keyPath = keyPath
    }

    /// The versions a condition on one metadata key selects, as a subquery of `versionId`s with its
    /// arguments appended; nil (and nothing appended) for any other expression. For estimating how many
    /// versions a condition matches before choosing which condition drives the search.
    mutating func matchSet(_ expression: QueryExpression) throws -> String? {
        switch expression {
        case .exists(.metadata), .contains(.metadata, _), .comparison(.metadata, _, _): break
        default: return nil
        }
        let (wasProbing, wasBare) = (probing, bare)
        (probing, bare) = (false, true)
        defer { (probing, bare) = (wasProbing, wasBare) }
        return try compile(expression)
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

    /// `v.id IN (subquery)`, or the subquery alone for ``matchSet(_:)``.
    private func set(_ subquery: String) -> String {
        bare ? subquery : "v.id IN (\(subquery))"
    }

    private mutating func bind(_ value: DatabaseValueConvertible?) -> String {
        arguments.append(value)
        return "?"
    }

    /// `v.id IN (versions whose key row satisfies condition)`: SQLite drives the outer query from the
    /// subquery's rows when it is selective. Probing, whether `v` has such a row.
    private mutating func metadata(_ field: QueryField, _ condition: String, _ values: [DatabaseValueConvertible?] = [])
        throws -> String
    {
        guard case .metadata(let keys) = field else { throw StoreError.catalog("not a metadata field: \(field)") }
        let key = bind(try keyPath(keys))
        arguments.append(contentsOf: values)
        if probing {
            return "EXISTS (SELECT 1 FROM version_key INDEXED BY version_key_by_version WHERE versionId = v.id AND key = \(key) AND \(condition))"
        }
        return set("SELECT versionId FROM version_key WHERE key = \(key) AND \(condition)")
    }

    private mutating func contains(_ field: QueryField, _ value: QueryValue) throws -> String {
        switch value {
        case .string(let text), .date(_, let text):
            // Two index ranges rather than one OR: an array element equal to the text is an equality
            // lookup on (key, element, text); only the substring test reads every string of the key.
            // `text IS NOT NULL` (only text values have one) keeps that test inside the index, where
            // `type = 'text'` read the row of every value of the key, arrays included: ten times slower.
            guard case .metadata(let keys) = field else { throw StoreError.catalog("not a metadata field: \(field)") }
            let path = try keyPath(keys)
            if probing {
                arguments.append(contentsOf: [path, text, text])
                return """
                    EXISTS (SELECT 1 FROM version_key INDEXED BY version_key_by_version WHERE versionId = v.id AND key = ? AND (element = 0 \
                    AND text IS NOT NULL AND instr(text, ?) > 0 OR element = 1 AND text = ?))
                    """
            }
            arguments.append(contentsOf: [path, text, path, text])
            return set("""
                SELECT versionId FROM version_key WHERE key = ? AND element = 0 AND text IS NOT NULL \
                AND instr(text, ?) > 0 UNION ALL SELECT versionId FROM version_key WHERE key = ? AND element = 1 \
                AND text = ?
                """)
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
