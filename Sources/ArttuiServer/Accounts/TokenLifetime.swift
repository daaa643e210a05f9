import Foundation

/// How long a new API token stays valid, written as a whole number and a unit: `90s`, `45m`, `12h`,
/// `30d`. The same text is taken by `--expires-in` on the admin commands and by `expiresIn` in the
/// admin API, so both refuse a bad value with the same line.
public struct TokenLifetime: Sendable, Equatable, CustomStringConvertible {
    /// The lifetime in seconds, at least 1.
    public let seconds: Int64

    /// The longest lifetime: ten years, far past any sensible expiry and far from overflowing a date.
    public static let maxSeconds: Int64 = 3650 * 86_400

    private static let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]

    /// A regular expression matching exactly the texts `init(parsing:)` accepts, for the OpenAPI
    /// document: leading zeros, then for each unit a count from 1 to as many as fit in `maxSeconds`.
    public static let pattern: String = {
        let counts = units.sorted { $0.value < $1.value }.map { unit, scale in
            WholeNumberPattern.oneThrough(maxSeconds / scale) + String(unit)
        }
        return "^0*(?:" + counts.joined(separator: "|") + ")$"
    }()

    /// Reads `COUNT UNIT` with a unit of `s`, `m`, `h` or `d`.
    /// - Throws: `TokenLifetimeError` naming the text and what is wrong with it.
    public init(parsing text: String) throws(TokenLifetimeError) {
        guard let unit = text.last, let scale = Self.units[unit] else { throw .malformed(text) }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let count = Int64(digits)
        else { throw .malformed(text) }
        guard count > 0 else { throw .notPositive(text) }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: scale)
        guard !overflow, seconds <= Self.maxSeconds else { throw .tooLong(text) }
        self.seconds = seconds
    }

    /// When a token issued at `issued` expires.
    public func expiry(from issued: Date = Date()) -> Date {
        issued.addingTimeInterval(TimeInterval(seconds))
    }

    public var description: String { "\(seconds)s" }
}

/// Why an expiry text was refused.
public enum TokenLifetimeError: Error, Equatable, CustomStringConvertible {
    /// Not a whole number followed by one of the units.
    case malformed(String)
    /// Zero: a token that is expired when issued.
    case notPositive(String)
    /// Beyond `TokenLifetime.maxSeconds`.
    case tooLong(String)

    public var description: String {
        switch self {
        case .malformed(let text):
            "expiry \"\(text)\" is not a whole number and a unit (s, m, h or d), as in 30d or 12h"
        case .notPositive(let text): "expiry \"\(text)\" must be longer than zero"
        case .tooLong(let text): "expiry \"\(text)\" is longer than the limit of 3650d"
        }
    }
}
