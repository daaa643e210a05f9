import Foundation

/// Text made safe to print on one line: line breaks, tabs and other control characters written as
/// escapes, so a name or value a user chose can never split a line of output or move the cursor.
public enum EscapedText {
    /// `value` with `\n`, `\r`, `\t` and other control characters (as `\u{1B}`) escaped, and each
    /// scalar of `also` preceded by a backslash (error messages quote with `"` and so escape it and `\`).
    public static func oneLine(_ value: String, escaping also: Set<Unicode.Scalar> = []) -> String {
        guard value.unicodeScalars.contains(where: { isControl($0) || also.contains($0) }) else { return value }
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where also.contains(scalar): out += "\\" + String(scalar)
            case _ where isControl(scalar): out += String(format: "\\u{%02X}", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || scalar.value == 0x7F }
}
