import Foundation

/// A parsed `find --where` expression: conditions on a version's metadata keys, size, file count and
/// creation time, combined with `and`, `or` and `not`.
///
/// Built by ``QueryParser``; a catalog that adopts ``VersionSearch`` compiles it to its own query language.
public indirect enum QueryExpression: Hashable, Sendable {
    /// `FIELD OP VALUE`, such as `metadata.val_acc > 0.9` or `size >= 1GB`.
    case comparison(QueryField, QueryComparison, QueryValue)
    /// `FIELD contains VALUE`: a substring of a string value, or an element of an array.
    case contains(QueryField, QueryValue)
    /// `FIELD exists`: the metadata key is present (even when its value is `null`).
    case exists(QueryField)
    /// Both hold.
    case and(QueryExpression, QueryExpression)
    /// Either holds.
    case or(QueryExpression, QueryExpression)
    /// The expression does not hold; a version without the key matches `not (key = 1)`.
    case not(QueryExpression)

    /// All of `expressions` (nil when there are none).
    public static func all(_ expressions: [QueryExpression]) -> QueryExpression? {
        guard var result = expressions.first else { return nil }
        for expression in expressions.dropFirst() { result = .and(result, expression) }
        return result
    }

    /// The expressions a top-level `and` joins, at any depth (the expression itself when it is no `and`).
    public var conjuncts: [QueryExpression] {
        guard case .and(let left, let right) = self else { return [self] }
        return left.conjuncts + right.conjuncts
    }
}

/// What a condition looks at.
public enum QueryField: Hashable, Sendable, CustomStringConvertible {
    /// The version's total size in bytes.
    case size
    /// The version's number of files.
    case files
    /// When the version was created.
    case created
    /// A metadata key, as the path of object keys leading to it (`["train", "lr"]` for `train.lr`).
    case metadata([String])

    /// `size`, `files`, `created` or `metadata.train.lr`.
    public var description: String {
        switch self {
        case .size: return "size"
        case .files: return "files"
        case .created: return "created"
        case .metadata(let keys): return "metadata." + keys.joined(separator: ".")
        }
    }
}

/// A comparison operator.
public enum QueryComparison: String, Hashable, Sendable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    /// Whether it orders values (`<`, `<=`, `>`, `>=`) rather than testing equality.
    public var isOrdering: Bool { self != .equal && self != .notEqual }
}

/// A literal in an expression.
public enum QueryValue: Hashable, Sendable {
    /// A number, such as `0.9`, `-3` or `1e-4`.
    case number(Double)
    /// A size with a unit, such as `10MB` or `1.5GiB`, in bytes.
    case size(Int64)
    /// A quoted string.
    case string(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// A date or time such as `2024-05-01` or `2024-05-01T12:30:00Z`, with the text as written
    /// (a metadata value compares with the text, `created` with the instant).
    case date(Date, text: String)
}
