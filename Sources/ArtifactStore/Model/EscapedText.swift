import Foundation

/// Text made safe to print on one line: line breaks, tabs and other control characters written as
/// escapes, so a name or value a user chose can never split a line of output or move the cursor.
/// A backslash is escaped too (`\\`): a name holding the two characters `\n` must not read as one
/// holding a line break.
public enum EscapedText {
    /// `value` with `\`, `\n`, `\r`, `\t` and other control characters (as `\u{1B}`) escaped, and each
    /// scalar of `also` preceded by a backslash (error messages quote with `"` and so escape it).
    /// - Parameter nonASCII: also write every non-ASCII scalar as `\u{E9}`, so two spellings that look
    ///   alike (`é` as one code point or as `e` and a combining accent) can be told apart.
    public static func oneLine(_ value: String, escaping also: Set<Unicode.Scalar> = [], nonASCII: Bool = false) -> String {
        guard value.unicodeScalars.contains(where: {
            $0 == "\\" || isControl($0) || also.contains($0) || (nonASCII && !$0.isASCII)
        })
        else { return value }
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\\": out += "\\\\"
            case _ where also.contains(scalar): out += "\\" + String(scalar)
            case _ where isControl(scalar) || (nonASCII && !scalar.isASCII): out += String(format: "\\u{%02X}", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `value` in double quotes for a message, escaped by `oneLine` (with `"`).
    public static func quoted(_ value: String) -> String { "\"" + oneLine(value, escaping: ["\""]) + "\"" }

    /// C0, DEL and C1: U+009B is CSI to a terminal that reads C1 controls, as ESC [ is to all of them.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) }
}
