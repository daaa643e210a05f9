/// An optional field that the wire always carries: `null` when absent, rather than left out.
///
/// Clients in other languages (the Python package, `jq` scripts, the OpenAPI document's
/// `required` lists) read every key of a shape; Swift's synthesized `Codable` leaves absent optionals
/// out. Marking such a field `@NullWhenAbsent` keeps the synthesized conformance and writes `null`,
/// and decoding still accepts the key left out, as older servers sent it.
@propertyWrapper
public struct NullWhenAbsent<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var wrappedValue: Value?

    /// Wraps a value, `nil` for absent.
    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    /// A key left out decodes as absent, as it does for a plain optional.
    public func decode<Value>(_ type: NullWhenAbsent<Value>.Type, forKey key: Key) throws -> NullWhenAbsent<Value> {
        try decodeIfPresent(type, forKey: key) ?? NullWhenAbsent(wrappedValue: nil)
    }
}
