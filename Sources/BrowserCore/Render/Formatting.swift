import ArtifactStore
import Foundation

/// How numbers and dates look in lists: compact and of fixed width.
enum Formatting {
    /// `12.3 MiB`.
    static func bytes(_ value: Int64) -> String { ByteSize.format(value) }

    /// `+12.3 MiB`, or `+0 B` when the version added nothing.
    static func addedBytes(_ value: Int64) -> String { "+" + ByteSize.format(value) }

    /// `2024-05-01 12:30` in the given time zone.
    ///
    /// Computed by hand (civil-from-days) rather than with `Calendar`, which costs more than the
    /// rest of a row and runs for every visible row on every frame.
    static func date(_ date: Date, in timeZone: TimeZone) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let minuteOfDay = (seconds - days * 86_400) / 60
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return "\(year)-\(pad(month))-\(pad(day)) \(pad(minuteOfDay / 60)):\(pad(minuteOfDay % 60))"
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    /// `1 version`, `1,234 versions`: a count with its noun in English, separators included.
    static func counted(_ value: Int, _ noun: String) -> String {
        count(value) + " " + pluralized(noun, value)
    }

    /// `1,234` with thousands separators, independent of the locale.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }
}
