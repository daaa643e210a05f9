/// Just enough XML reading for S3's answers: their elements are flat, attribute-free and never
/// nested under the same name, so the text between `<Name>` and `</Name>` is the value.
enum S3XML {
    /// The decoded text of the first `<name>` element in `xml`.
    static func text(_ name: String, in xml: Substring) -> String? {
        guard let open = xml.range(of: "<\(name)>"),
              let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex)
        else { return nil }
        return decodeEntities(xml[open.upperBound..<close.lowerBound])
    }

    /// The inside of every `<name>…</name>` element, in order.
    static func elements(_ name: String, in xml: Substring) -> [Substring] {
        var result: [Substring] = []
        var rest = xml[...]
        while let open = rest.range(of: "<\(name)>"),
              let close = rest.range(of: "</\(name)>", range: open.upperBound..<rest.endIndex) {
            result.append(rest[open.upperBound..<close.lowerBound])
            rest = rest[close.upperBound...]
        }
        return result
    }

    static func decodeEntities(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "&", let semicolon = text[index...].firstIndex(of: ";"),
               text.distance(from: index, to: semicolon) <= 10 {
                let entity = text[text.index(after: index)..<semicolon]
                if let decoded = decode(entity) {
                    out.unicodeScalars.append(decoded)
                    index = text.index(after: semicolon)
                    continue
                }
            }
            out.append(character)
            index = text.index(after: index)
        }
        return out
    }

    private static func decode(_ entity: Substring) -> Unicode.Scalar? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                return UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
            }
            if entity.hasPrefix("#") { return UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init) }
            return nil
        }
    }
}
