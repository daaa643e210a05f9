/// Terminal column widths of text, computed the way the screen will draw it.
///
/// ncursesw advances by the sum of `wcwidth` over a grapheme's scalars while terminals draw an
/// emoji sequence as one 2-column glyph. So every grapheme is first normalised (`normalize`) to
/// something both agree on: variation selectors and skin-tone modifiers are dropped and a ZWJ
/// sequence keeps its first scalar. Control characters become U+FFFD.
public enum DisplayWidth {
    /// The grapheme as it will be written to the terminal.
    public static func normalize(_ character: Character) -> Character {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let only = scalars.first {
            return isControl(only) ? "\u{FFFD}" : character
        }
        var kept = String.UnicodeScalarView()
        for scalar in scalars {
            if scalar.value == 0x200D { break }  // zero-width joiner: keep what precedes it
            if isVariationSelector(scalar) || isSkinTone(scalar) { continue }
            kept.append(isControl(scalar) ? "\u{FFFD}" : scalar)
        }
        if kept.isEmpty { return " " }
        return Character(String(kept))
    }

    /// Columns a normalised grapheme occupies: 0, 1 or 2.
    public static func width(of character: Character) -> Int {
        var total = 0
        for scalar in character.unicodeScalars {
            total += width(of: scalar)
        }
        return min(total, 2)
    }

    /// Columns a string occupies once each grapheme is normalised.
    public static func width(of text: String) -> Int {
        // Printable ASCII, most labels and names, takes a column a byte.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        var total = 0
        for character in text {
            if character.isASCII, let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F {
                total += 1
            } else {
                total += width(of: normalize(character))
            }
        }
        return total
    }

    /// The text cut to at most `columns` columns; when cut, it ends with `…` and no wide
    /// character is split.
    public static func truncate(_ text: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        if width(of: text) <= columns { return text }
        var out = ""
        var used = 0
        for character in text {
            let normalized = normalize(character)
            let w = width(of: normalized)
            if used + w > columns - 1 { break }
            out.append(normalized)
            used += w
        }
        return out + "…"
    }

    /// The text truncated or padded with spaces to exactly `columns` columns.
    public static func fit(_ text: String, to columns: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: columns)
        let pad = String(repeating: " ", count: max(0, columns - width(of: cut)))
        return alignRight ? pad + cut : cut + pad
    }

    /// Columns of one scalar, as a UTF-8 terminal draws it.
    static func width(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || (v >= 0x1160 && v <= 0x11FF) { return 0 }
        return isWide(v) ? 2 : 1
    }

    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
            0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1,
            0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA,
            0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C,
            0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C,
            0x2B50, 0x2B55, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
            0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18AFF,
            0x1B000...0x1B2FF, 0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251,
            0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393,
            0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4, 0x1F3F8...0x1F43E,
            0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567,
            0x1F57A, 0x1F595...0x1F596, 0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC,
            0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC,
            0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945,
            0x1F947...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        case 0x1F1E6...0x1F1FF:
            return false  // a regional indicator is 1; a flag (a pair) sums to 2
        default:
            return false
        }
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0)
    }

    private static func isVariationSelector(_ s: Unicode.Scalar) -> Bool {
        (0xFE00...0xFE0F).contains(s.value) || (0xE0100...0xE01EF).contains(s.value)
    }

    private static func isSkinTone(_ s: Unicode.Scalar) -> Bool {
        (0x1F3FB...0x1F3FF).contains(s.value)
    }
}
