import Foundation

/// Checks metadata text before `JSONDecoder` reads it: rejects bare `NaN` and `Infinity` (naming where
/// they are) and duplicate keys, which the decoder would accept or report without a key path.
///
/// It is a token scan, not a parser: it tracks string literals (quotes and backslash escapes) so a
/// `NaN` inside a string stays text, and a stack of containers only to name the key path in errors.
/// Everything else is left to `JSONDecoder`.
struct MetadataPreprocessor {
    /// The text as checked, for the decoder.
    private(set) var output: [UInt8] = []

    private enum Container {
        case object(key: String?, expectingKey: Bool, keys: Set<String>)
        case array(index: Int)
    }

    private var stack: [Container] = []

    /// Scans `text`.
    /// - Throws: `StoreError.invalidMetadata` for a bare `Infinity` or `-Infinity`, or a repeated key.
    init(_ text: String) throws {
        let input = Array(text.utf8)
        output.reserveCapacity(input.count + 16)
        var index = 0
        var inString = false
        var escaped = false
        var stringStart = 0
        while index < input.count {
            let byte = input[index]
            if inString {
                output.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    try stringEnded(literal: input[stringStart...index])
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                stringStart = index
            case UInt8(ascii: "{"):
                stack.append(.object(key: nil, expectingKey: true, keys: []))
            case UInt8(ascii: "["):
                stack.append(.array(index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ":"):
                if case .object(let key, _, let keys)? = stack.last {
                    stack[stack.count - 1] = .object(key: key, expectingKey: false, keys: keys)
                }
            case UInt8(ascii: ","):
                switch stack.last {
                case .object(let key, _, let keys)?:
                    stack[stack.count - 1] = .object(key: key, expectingKey: true, keys: keys)
                case .array(let position)?:
                    stack[stack.count - 1] = .array(index: position + 1)
                case nil:
                    break
                }
            default:
                // A letter that starts a word; after a digit or '.', it belongs to a number such as 1e5.
                let previous = index > 0 ? input[index - 1] : UInt8(ascii: " ")
                if Self.isLetter(byte) && !Self.isWordByte(previous) && previous != UInt8(ascii: ".") {
                    var end = index
                    while end < input.count && Self.isWordByte(input[end]) { end += 1 }
                    try word(input[index..<end])
                    index = end
                    continue
                }
            }
            output.append(byte)
            index += 1
        }
    }

    private mutating func word(_ word: ArraySlice<UInt8>) throws {
        switch String(decoding: word, as: UTF8.self) {
        case "NaN", "Infinity":
            let negative = output.last(where: { $0 != UInt8(ascii: " ") }) == UInt8(ascii: "-")
            let token = word.first == UInt8(ascii: "N") ? "NaN" : negative ? "-Infinity" : "Infinity"
            let reason: String
            if let path = keyPath {
                reason = "value at \(quoted(path)) is \(token); only finite numbers are allowed"
            } else {
                reason = "value is \(token); only finite numbers are allowed"
            }
            throw StoreError.invalidMetadata(reason: reason)
        default:
            // true, false, null, or something JSONDecoder will reject with a position.
            output.append(contentsOf: word)
        }
    }

    private mutating func stringEnded(literal: ArraySlice<UInt8>) throws {
        guard case .object(_, true, var keys)? = stack.last else { return }
        let key = (try? JSONDecoder().decode(String.self, from: Data(literal)))
            ?? String(decoding: literal.dropFirst().dropLast(), as: UTF8.self)
        if !keys.insert(key).inserted {
            let location = Self.path(of: stack.dropLast()).map { " in \(quoted($0))" } ?? ""
            throw StoreError.invalidMetadata(reason: "has the key \(quoted(key)) twice\(location)")
        }
        stack[stack.count - 1] = .object(key: key, expectingKey: true, keys: keys)
    }

    /// `metrics.loss`, `history[2].value`: where the scan is, or nil at the top level.
    private var keyPath: String? { Self.path(of: stack[...]) }

    private static func path(of containers: ArraySlice<Container>) -> String? {
        var path = ""
        for container in containers {
            switch container {
            case .object(let key?, _, _):
                path += path.isEmpty ? key : ".\(key)"
            case .object(nil, _, _):
                break
            case .array(let position):
                path += "[\(position)]"
            }
        }
        return path.isEmpty ? nil : path
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }
}
