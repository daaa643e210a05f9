import Foundation

/// Reading and checking artifact metadata: a JSON object of at most 100 top-level keys, finite numbers,
/// and no NUL character in a key or string (PostgreSQL's `jsonb`, the team server's catalog, cannot hold
/// one, and a description refuses it too).
///
/// Python writes `NaN`, `Infinity` and `-Infinity` into JSON. The reference client stores `NaN` as `null`,
/// silently losing the fact that a value was missing; arttui refuses all three and names where they
/// are, so the writer chooses `null` (or a string) on purpose.
public enum Metadata {
    /// The most top-level keys a metadata object may have.
    public static let maxKeys = 100

    /// Parses metadata given as text, such as `--metadata '{"lr": 0.01}'`.
    ///
    /// ```swift
    /// try Metadata.parse(#"{"loss": 0.25}"#)   // ["loss": .double(0.25)]
    /// try Metadata.parse(#"{"loss": NaN}"#)    // throws: metadata value at "loss" is NaN; …
    /// ```
    /// - Throws: `StoreError.invalidMetadata` when the text is not JSON, not an object, has more than
    ///   ``maxKeys`` keys, repeats a key, holds `NaN` or `Infinity`, or a NUL character.
    public static func parse(_ text: String) throws -> [String: JSONValue] {
        let value = try decode(text)
        guard case .object(let object) = value else {
            throw StoreError.invalidMetadata(reason: "must be a JSON object, not \(kindName(value))")
        }
        try validate(object)
        return object
    }

    /// Parses one JSON value, such as the right side of `--set KEY=JSON`.
    ///
    /// A bare word is an error rather than a string, so a typo like `--set best=ture` is not stored as text.
    /// - Throws: `StoreError.invalidMetadata` when the text is not JSON or holds `NaN`, `Infinity` or a
    ///   NUL character.
    public static func parseValue(_ text: String) throws -> JSONValue {
        let value = try decode(text)
        try checkValues(value, path: "")
        return value
    }

    /// Checks a metadata object built in code: the key count, that every number is finite and that no
    /// key or string holds a NUL character.
    /// - Throws: `StoreError.invalidMetadata` naming the rule and, for numbers, keys and strings, the key path.
    public static func validate(_ object: [String: JSONValue]) throws {
        if object.count > maxKeys {
            throw StoreError.invalidMetadata(
                reason: "has \(object.count) top-level keys; at most \(maxKeys) are allowed")
        }
        try checkValues(.object(object), path: "")
    }

    // MARK: - Details

    private static func decode(_ text: String) throws -> JSONValue {
        let prepared = try MetadataPreprocessor(text)
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(prepared.output))
        } catch {
            throw StoreError.invalidMetadata(reason: "is not valid JSON: \(syntaxProblem(in: text, prepared: prepared))")
        }
    }

    /// Describes why `JSONDecoder` refused the text, with a line and column when one can be found.
    ///
    /// `JSONDecoder` on Linux reports no position, so this asks `JSONSerialization`, which gives a byte
    /// offset into the prepared text, and maps that back to the text the user wrote.
    private static func syntaxProblem(in text: String, prepared: MetadataPreprocessor) -> String {
        if text.allSatisfy(\.isWhitespace) { return "it is empty" }
        let data = Data(prepared.output)
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let message = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            if message.localizedCaseInsensitiveContains("end of file") {
                return "it ends too early (an unclosed bracket, brace or string?)"
            }
            if message.localizedCaseInsensitiveContains("too many nested") {
                return "it nests arrays and objects too deeply (at most 512 levels)"
            }
            if let range = message.range(of: #"character \d+"#, options: .regularExpression),
                let offset = Int(message[range].dropFirst("character ".count))
            {
                return "unexpected character at \(position(ofByte: offset, in: text))"
                    + bareWordHint(text)
            }
        }
        if let number = outOfRangeNumber(in: text) {
            return "the number \(number) is out of range (a 64-bit float reaches about ±1.8e308)"
        }
        return "it is not a JSON value" + bareWordHint(text)
    }

    /// A number written in the text that no `Double` can hold, such as `1e400`: the decoder refuses the
    /// whole text without saying why.
    private static func outOfRangeNumber(in text: String) -> String? {
        text.matches(of: /-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/).lazy.map { String($0.output) }
            .first { Double($0).map { !$0.isFinite } ?? false }
    }

    /// `line 1 column 7`, counting characters, for a UTF-8 byte offset.
    private static func position(ofByte offset: Int, in text: String) -> String {
        let prefix = String(decoding: text.utf8.prefix(offset), as: UTF8.self)
        let lines = prefix.split(separator: "\n", omittingEmptySubsequences: false)
        return "line \(lines.count) column \((lines.last?.count ?? 0) + 1)"
    }

    private static func bareWordHint(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            return ""
        }
        return "; to give a string, quote it: \"\(trimmed)\""
    }

    private static func checkValues(_ value: JSONValue, path: String) throws {
        // Worded only for a refusal: every value of the object passes through here.
        var location: String { path.isEmpty ? "value" : "value at \(quoted(path))" }
        switch value {
        case .double(let number) where !number.isFinite:
            let shown = number.isNaN ? "NaN" : (number < 0 ? "-Infinity" : "Infinity")
            throw StoreError.invalidMetadata(reason: "\(location) is \(shown); only finite numbers are allowed")
        case .string(let text) where text.utf8.contains(0):
            throw StoreError.invalidMetadata(reason: "\(location) contains a NUL character, which is not allowed")
        case .array(let items):
            for (index, item) in items.enumerated() {
                try checkValues(item, path: "\(path)[\(index)]")
            }
        case .object(let members):
            for key in members.keys.sorted() {
                let keyPath = path.isEmpty ? key : "\(path).\(key)"
                if key.utf8.contains(0) {
                    throw StoreError.invalidMetadata(
                        reason: "key \(quoted(keyPath)) contains a NUL character, which is not allowed")
                }
                try checkValues(members[key]!, path: keyPath)
            }
        default:
            break
        }
    }

    private static func kindName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
