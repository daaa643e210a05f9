/// A SHA-256 digest held inline as its 32 bytes: a key or table cell that costs no heap, where the
/// 64-digit hex `String` the rest of the code passes costs a 112-byte allocation each (a version of
/// 100,000 files held 11 MiB of them per copy).
///
/// Ordered as the bytes are (`<` is `memcmp` order, which is also the hex text's order).
public struct BinaryDigest: Hashable, Comparable, Sendable {
    /// The bytes as four big-endian words, so that comparing the words compares the bytes.
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// The digest whose 32 bytes start at `bytes`.
    public init(bytes: UnsafeRawPointer) {
        words = (
            UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
    }

    /// The digest of 32 bytes; nil for any other count.
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var copy = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &copy) { out in out.copyBytes(from: bytes) }
        self = withUnsafeBytes(of: &copy) { BinaryDigest(bytes: $0.baseAddress!) }
    }

    /// The digest `hex` spells in 64 lowercase hex digits; nil for anything else.
    public init?(hex: String) {
        var copy = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let valid = withUnsafeMutableBytes(of: &copy) { Hex.decodeLowercase(hex, byteCount: 32, into: $0.baseAddress!) }
        guard valid else { return nil }
        self = withUnsafeBytes(of: &copy) { BinaryDigest(bytes: $0.baseAddress!) }
    }

    /// Calls `body` with the 32 bytes, in order.
    public func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        var bytes = (words.0.bigEndian, words.1.bigEndian, words.2.bigEndian, words.3.bigEndian)
        return try withUnsafeBytes(of: &bytes, body)
    }

    /// The 64 lowercase hex digits the rest of the code passes.
    public var hex: String { withBytes { CatalogDigest.hexString($0) } }

    public static func == (a: Self, b: Self) -> Bool { a.words == b.words }

    public static func < (a: Self, b: Self) -> Bool { a.words < b.words }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
