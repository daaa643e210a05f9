import Foundation

/// Sizes as people type and read them: `10G`, `1.5GB`, `512 MiB`, `12.3 MiB`.
///
/// Parsing is strict because a misread size can wipe a cache (the reference client read `10G` as 10 bytes):
/// anything that is not a non-negative number with a known unit is an error, never 0.
public enum ByteSize {
    /// Reads a size, coreutils style, case-insensitively.
    ///
    /// A bare number or `B` means bytes; `K M G T` and `KiB MiB GiB TiB` are powers of 1024; `KB MB GB TB`
    /// are powers of 1000. One space may separate number and unit; decimals are rounded down to whole bytes.
    /// ```swift
    /// try ByteSize.parse("10G")    // 10_737_418_240
    /// try ByteSize.parse("1.5 GB") // 1_500_000_000
    /// ```
    /// - Throws: `StoreError.invalidSize` naming what is wrong: no number, a sign, an unknown unit, too large.
    public static func parse(_ text: String) throws -> Int64 {
        func failure(_ reason: String) -> StoreError { StoreError.invalidSize(text: text, reason: reason) }

        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw failure("is empty") }
        if trimmed.hasPrefix("-") { throw failure("may not be negative") }
        if trimmed.hasPrefix("+") { throw failure("may not have a sign") }

        let scalars = Array(trimmed.unicodeScalars)
        let isDigit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        var index = 0
        while index < scalars.count && isDigit(scalars[index]) { index += 1 }
        let integerDigits = String(String.UnicodeScalarView(scalars[..<index]))
        var fractionDigits = ""
        if index < scalars.count && scalars[index] == "." {
            let start = index + 1
            index = start
            while index < scalars.count && isDigit(scalars[index]) { index += 1 }
            fractionDigits = String(String.UnicodeScalarView(scalars[start..<index]))
            if integerDigits.isEmpty || fractionDigits.isEmpty {
                throw failure("needs digits on both sides of the decimal point")
            }
        }
        if integerDigits.isEmpty { throw failure("has no number") }

        var unitText = String(String.UnicodeScalarView(scalars[index...]))
        if unitText.hasPrefix(" ") { unitText.removeFirst() }
        if unitText.hasPrefix(" ") { throw failure("may have at most one space between number and unit") }
        guard let multiplier = multipliers[unitText.lowercased()] else {
            throw failure("has an unknown unit \(quoted(unitText)); use B, K, M, G, T or KiB, MiB, GiB, TiB "
                + "(powers of 1024), or KB, MB, GB, TB (powers of 1000)")
        }

        let tooLarge = failure("is too large; the largest size is \(Int64.max) bytes")
        guard let whole = Int64(integerDigits) else { throw tooLarge }
        let (product, overflow) = whole.multipliedReportingOverflow(by: multiplier)
        if overflow { throw tooLarge }
        let fraction = try fractionBytes(fractionDigits, multiplier: multiplier, failure: failure)
        let (total, sumOverflow) = product.addingReportingOverflow(fraction)
        if sumOverflow { throw tooLarge }
        return total
    }

    /// Formats a size for people: `0 B`, `512 B`, `1.5 KiB`, `12.3 MiB`, `200 MiB`, `4.0 GiB` (powers of
    /// 1024; one decimal below 100 of a unit, none above, so sizes fit a column of 9 characters).
    public static func format(_ bytes: Int64) -> String {
        let sign = bytes < 0 ? "-" : ""
        let magnitude = bytes.magnitude
        if magnitude < 1024 { return "\(sign)\(magnitude) B" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(magnitude) / 1024
        var unit = 0
        // Round first, so 1023.96 KiB shows as 1.0 MiB rather than 1024.0 KiB.
        while (value * 10).rounded() / 10 >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let digits = (value * 10).rounded() / 10 >= 100 ? "%.0f" : "%.1f"
        return "\(sign)\(String(format: digits, value)) \(units[unit])"
    }

    // MARK: - Details

    private static let multipliers: [String: Int64] = {
        var table: [String: Int64] = ["": 1, "b": 1]
        for (power, letter) in ["k", "m", "g", "t"].enumerated() {
            let binary = Int64(1) << (10 * (power + 1))
            var decimal: Int64 = 1
            for _ in 0...power { decimal *= 1000 }
            table[letter] = binary
            table["\(letter)ib"] = binary
            table["\(letter)b"] = decimal
        }
        return table
    }()

    /// `floor(0.fractionDigits × multiplier)`, exactly: 128-bit product, then division by 10^digits.
    private static func fractionBytes(
        _ digits: String, multiplier: Int64, failure: (String) -> StoreError
    ) throws -> Int64 {
        guard !digits.isEmpty else { return 0 }
        guard digits.count <= 18, let numerator = Int64(digits) else {
            throw failure("has more than 18 decimal places")
        }
        var scale: Int64 = 1
        for _ in 0..<digits.count { scale *= 10 }
        let wide = numerator.multipliedFullWidth(by: multiplier)
        return scale.dividingFullWidth(wide).quotient
    }
}
