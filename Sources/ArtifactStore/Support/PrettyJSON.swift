import Foundation

/// JSON as arttui prints it for people: keys sorted, indented, slashes unescaped, and an empty object
/// or array written `{}` or `[]`. Foundation on Linux writes an empty container as its opening
/// bracket, a blank line and the closing one, which `--json` output and `metadata {}` showed as is.
public enum PrettyJSON {
    /// Encodes a value the way every `--json` output and shown JSON value is written.
    public static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return collapsingEmptyContainers(try encoder.encode(value))
    }

    /// `{`, line breaks and spaces only, then `}` (or the same with `[ ]`) becomes `{}`. A string in
    /// JSON text cannot hold a raw line break, so such a run is never inside one.
    static func collapsingEmptyContainers(_ data: Data) -> Data {
        let bytes = [UInt8](data)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            out.append(byte)
            index += 1
            guard byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") else { continue }
            var end = index
            while end < bytes.count, bytes[end] == UInt8(ascii: "\n") || bytes[end] == UInt8(ascii: " ") { end += 1 }
            let closing = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            if end > index, end < bytes.count, bytes[end] == closing, bytes[index..<end].contains(UInt8(ascii: "\n")) {
                out.append(closing)
                index = end + 1
            }
        }
        return Data(out)
    }
}
