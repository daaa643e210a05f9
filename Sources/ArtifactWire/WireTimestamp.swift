import Foundation

/// Timestamps on the wire and in `--json` output: ISO 8601, UTC, with milliseconds.
public enum WireTimestamp {
    /// `2026-11-30T05:24:02.123Z`.
    public static func string(_ date: Date) -> String {
        formatter.withLock { $0.string(from: date) }
    }

    /// The date of a timestamp written by `string(_:)` (or without milliseconds); nil for other text.
    public static func date(_ text: String) -> Date? {
        formatter.withLock { $0.date(from: text) } ?? plainFormatter.withLock { $0.date(from: text) }
    }

    /// Made once: creating a formatter costs more than formatting a row; locked because formatters are
    /// not safe to share between threads.
    private static let formatter = LockedFormatter(fractionalSeconds: true)
    private static let plainFormatter = LockedFormatter(fractionalSeconds: false)
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
