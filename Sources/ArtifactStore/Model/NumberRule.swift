import Foundation

/// The numbers one setting accepts (a command-line option such as `--keep-last`, an environment
/// variable such as `$ARTTUI_TIMEOUT`), how its text is read, and the one wording of a refusal.
///
/// Every numeric setting goes through a rule, so `-1`, `0` where zero means nothing, `1e999`, `nan`,
/// `99999999999999999999` and `ten` are refused the same way everywhere:
/// `--keep-last must be a whole number of 0 or more, got -1`.
public struct NumberRule<Value: Comparable & Sendable>: Sendable {
    /// What a value must be, worded to follow the setting's name: `must be a whole number of 0 or more`.
    public let requirement: String
    private let parse: @Sendable (String) -> Value?
    private let range: ClosedRange<Value>
    private let excludesLowest: Bool
    /// The requirement shown for a number too large for the type (when `requirement` names no upper bound).
    private let overflowRequirement: String

    /// The value `text` spells.
    /// - Throws: `InvalidNumber` carrying the text and the requirement.
    public func read(_ text: String) throws(InvalidNumber) -> Value {
        guard let value = parse(text) else {
            let digits = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
            let tooLarge = !digits.isEmpty && digits.allSatisfy { ("0"..."9").contains($0) }
            throw InvalidNumber(text: text, requirement: tooLarge ? overflowRequirement : requirement)
        }
        guard accepts(value) else { throw InvalidNumber(text: text, requirement: requirement) }
        return value
    }

    /// Checks a value that arrived as a number (a field of an API request) by the same rule.
    /// - Throws: `StoreError.invalidArgument`: `NAME must be …, got VALUE`.
    public func check(_ value: Value, for name: String) throws {
        guard accepts(value) else {
            throw StoreError.invalidArgument(InvalidNumber(text: "\(value)", requirement: requirement).naming(name))
        }
    }

    private func accepts(_ value: Value) -> Bool {
        range.contains(value) && !(excludesLowest && value == range.lowerBound)
    }

    /// The value of the setting `name` spelled by `text`.
    /// - Throws: `StoreError.invalidArgument`: `NAME must be …, got TEXT`.
    public func read(_ text: String, for name: String) throws -> Value {
        do {
            return try read(text)
        } catch {
            throw StoreError.invalidArgument(error.naming(name))
        }
    }
}

extension NumberRule where Value: FixedWidthInteger {
    /// Whole numbers from `lowest` to `highest` (by default as large as the type holds).
    public static func wholeNumber(from lowest: Value, to highest: Value = .max) -> NumberRule {
        let bounded = "must be a whole number from \(lowest) to \(highest)"
        return NumberRule(
            requirement: highest == .max ? "must be a whole number of \(lowest) or more" : bounded,
            parse: { Value($0) }, range: lowest...highest, excludesLowest: false, overflowRequirement: bounded)
    }
}

extension NumberRule where Value == Int {
    /// A count of things to keep or wait (`--keep-last`, `--orphan-grace`, the browser's keep-last field,
    /// the API's `keepLast`): 0 or more.
    public static var count: NumberRule { wholeNumber(from: 0) }
}

extension NumberRule where Value == Double {
    /// A finite number of seconds: more than 0 (or from 0 when `zeroAllowed`), at most `highest`.
    public static func seconds(zeroAllowed: Bool = false, atMost highest: Double = .greatestFiniteMagnitude) -> NumberRule {
        let lower = zeroAllowed ? "from 0" : "more than 0"
        let upper = highest == .greatestFiniteMagnitude ? "" : (zeroAllowed ? " to " : " and at most ") + Self.format(highest)
        let requirement = "must be a number of seconds \(lower)\(upper)"
        return NumberRule(
            requirement: requirement, parse: { Double($0).flatMap { $0.isFinite ? $0 : nil } }, range: 0...highest,
            excludesLowest: !zeroAllowed, overflowRequirement: requirement)
    }

    /// Seconds a connection, a stall or a service may take (`arttui --timeout`, `$ARTTUI_TIMEOUT`,
    /// `arttui-server --database-timeout`, `--s3-timeout`): more than 0, at most an hour. Each becomes a
    /// count of milliseconds, and a larger finite number (`1e300`) would overflow it.
    public static var timeout: NumberRule { seconds(atMost: 3600) }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int64(seconds)) : String(seconds)
    }
}
