import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Timestamps on the wire and in `--json` output: ISO 8601, UTC, with milliseconds.
public enum WireTimestamp {
    /// `2026-11-30T05:24:02.123Z`: rounded to the nearest millisecond (a half upwards), as ICU's formatter rounds.
    ///
    /// Written by hand rather than by `ISO8601DateFormatter`: on Linux creating that formatter loads ICU,
    /// which cost `put --json` about 1.5 ms of its ~20 ms start-up for one timestamp.
    public static func string(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000 + 0.5).rounded(.down))
        var seconds = time_t(milliseconds.floorDivided(by: 1000))
        let fraction = Int(milliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return "\(digits(Int(parts.tm_year) + 1900, 4))-\(digits(Int(parts.tm_mon) + 1, 2))-\(digits(Int(parts.tm_mday), 2))"
            + "T\(digits(Int(parts.tm_hour), 2)):\(digits(Int(parts.tm_min), 2)):\(digits(Int(parts.tm_sec), 2))"
            + ".\(digits(fraction, 3))Z"
    }

    /// The date of a timestamp written by `string(_:)` (or without milliseconds); nil for other text.
    public static func date(_ text: String) -> Date? {
        formatter.withLock { $0.date(from: text) } ?? plainFormatter.withLock { $0.date(from: text) }
    }

    /// `value` in decimal, zero-padded to `width` digits (a negative year keeps its sign in front).
    private static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(abs(value))
        let padded = text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        return value < 0 ? "-" + padded : padded
    }

    /// Made once, on first parse: creating a formatter costs more than parsing a row; locked because
    /// formatters are not safe to share between threads.
    private static let formatter = LockedFormatter(fractionalSeconds: true)
    private static let plainFormatter = LockedFormatter(fractionalSeconds: false)
}

extension Int64 {
    /// The quotient rounded towards negative infinity (so times before 1970 split into seconds and
    /// milliseconds as a clock would).
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

/// An ISO 8601 formatter behind a lock.
final class LockedFormatter: @unchecked Sendable {
    private let lock = NSLock()
    private let formatter: ISO8601DateFormatter

    init(fractionalSeconds: Bool) {
        formatter = ISO8601DateFormatter()
        formatter.formatOptions = fractionalSeconds ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
    }

    func withLock<T>(_ body: (ISO8601DateFormatter) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(formatter)
    }
}
