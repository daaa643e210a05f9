import Foundation

/// Dates as `find` reads them: `2024-05-01` (midnight UTC), `2024-05-01T12:30`, `2024-05-01T12:30:00`,
/// with optional fractional seconds and a zone (`Z` or `+02:00`); without a zone a time is UTC.
public enum QueryDate {
    /// The instant `text` names, or nil when it is not one of the accepted forms or not a real date.
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 10, trimmed.first?.isNumber == true else { return nil }
        if trimmed.count == 10 {
            return format(.withFullDate).date(from: trimmed)
        }
        var zoned = trimmed
        if !(trimmed.hasSuffix("Z") || hasOffset(trimmed)) { zoned += "Z" }
        // `2024-05-01T12:30Z` has no seconds; ISO8601DateFormatter wants them.
        if let tee = zoned.firstIndex(of: "T") {
            let time = zoned[zoned.index(after: tee)...]
            if time.filter({ $0 == ":" }).count == 1 || (time.filter({ $0 == ":" }).count == 2 && hasOffset(zoned)) {
                if let end = time.firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }),
                    time[time.startIndex..<end].filter({ $0 == ":" }).count == 1
                {
                    zoned.insert(contentsOf: ":00", at: end)
                }
            }
        }
        for options in [plain, fractional] {
            if let date = options.date(from: zoned) { return date }
        }
        return nil
    }

    private static func hasOffset(_ text: String) -> Bool {
        guard let tee = text.firstIndex(of: "T") else { return false }
        return text[tee...].contains("+") || text[tee...].contains("-")
    }

    private static func format(_ options: ISO8601DateFormatter.Options) -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = options
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter
    }

    nonisolated(unsafe) private static let plain = format([.withInternetDateTime])
    nonisolated(unsafe) private static let fractional = format([.withInternetDateTime, .withFractionalSeconds])
}
