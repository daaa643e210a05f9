/// One edit to a version's metadata: set a top-level key to a JSON value, or remove a key.
///
/// `arttui edit --set KEY=JSON --unset KEY` and the browser's metadata editor both go through
/// this, so a value is checked the same way wherever it is typed.
public enum MetadataChange: Hashable, Sendable {
    /// Sets `key` to `value`, adding the key when it is new.
    case set(key: String, value: JSONValue)
    /// Removes `key` (nothing happens when it is absent).
    case remove(key: String)

    /// Parses `KEY=JSON`, the argument of `--set`.
    /// - Throws: `StoreError.invalidMetadata` when there is no `=`, the key is empty, or the value
    ///   is not JSON or holds `NaN` or `Infinity`.
    public static func assignment(_ text: String) throws -> MetadataChange {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw StoreError.invalidMetadata(reason: "--set \(text) is not KEY=JSON")
        }
        return try set(String(text[..<equals]), json: String(text[text.index(after: equals)...]))
    }

    /// Parses a key and the JSON text of its value, typed separately.
    /// - Throws: `StoreError.invalidMetadata` when the key is empty or the value is not JSON or
    ///   holds `NaN` or `Infinity`.
    public static func set(_ key: String, json: String) throws -> MetadataChange {
        guard !key.isEmpty else { throw StoreError.invalidMetadata(reason: "key is empty") }
        return .set(key: key, value: try Metadata.parseValue(json))
    }

    /// The metadata after `changes`, in order, checked as stored metadata is (key count, finite numbers).
    /// - Throws: `StoreError.invalidMetadata` when the result breaks a rule of `Metadata.validate`.
    public static func apply(_ changes: [MetadataChange], to metadata: [String: JSONValue]) throws -> [String: JSONValue] {
        var object = metadata
        for change in changes {
            switch change {
            case let .set(key, value): object[key] = value
            case let .remove(key): object[key] = nil
            }
        }
        try Metadata.validate(object)
        return object
    }
}
