import Foundation
import GRDB

/// SHA-256 digests as the embedded catalog keeps them: 32 bytes in a BLOB, where the rest of the code
/// passes 64 lowercase hex digits.
///
/// Converting here, at the catalog's edge, halves every digest column and the indexes on them
/// (`binary-digests-v1`) and leaves the model types and every caller as they were.
enum CatalogDigest {
    /// The 32 bytes of a hex digest, to bind as a statement argument.
    /// - Throws: `StoreError.catalog` when `hex` is not 64 hex digits; nothing is written then.
    static func blob(_ hex: String) throws -> Data {
        guard hex.utf8.count == 64, let bytes = Hex.decode(hex) else {
            throw StoreError.catalog("digest \"\(hex)\" is not 64 hex digits")
        }
        return Data(bytes)
    }

    /// Calls `body` with the 32 bytes of a hex digest, made on the stack: for the rows of a put, one
    /// per file and chunk, where `blob(_:)` allocated a byte array and a `Data` for each.
    /// - Throws: `StoreError.catalog` when `hex` is not 64 hex digits; `body` is not called then.
    static func withBytes<T>(of hex: String, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        try withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { buffer in
            if Hex.decodeLowercase(hex, byteCount: 32, into: buffer.baseAddress!) {
                return try body(UnsafeRawBufferPointer(buffer))
            }
            // Upper-case digits, or the error naming the digest.
            return try blob(hex).withUnsafeBytes(body)
        }
    }

    /// The hex text of a digest column's value: "" for NULL (a pending version has no digest yet).
    ///
    /// Text is passed through, so a value the catalog would refuse still shows in `verify` rather
    /// than stopping it.
    static func hex(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .blob(let data): return hexString(data)
        case .string(let text): return text
        case .null, .int64, .double: return ""
        }
    }

    /// The hex text of the digest in column `index` of `row`.
    ///
    /// Encoded straight from SQLite's buffer into the string: this runs once per file of a manifest,
    /// and a `Data` copy plus a byte array per digest showed in the peak memory of 100,000-file versions.
    static func hex(_ row: Row, _ index: Int) -> String {
        // 32 bytes are a binary digest; anything else (NULL, or text in a catalog not yet upgraded)
        // takes the general path.
        let fast: String? = try? row.withUnsafeData(atIndex: index) { data in
            guard let data, data.count == 32 else { return nil }
            return hexString(data)
        }
        return fast ?? hex(row[index] as DatabaseValue)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// Lowercase hex of a digest's bytes.
    static func hexString<Bytes: Collection>(_ data: Bytes) -> String where Bytes.Element == UInt8 {
        String(unsafeUninitializedCapacity: data.count * 2) { buffer in
            var out = 0
            for byte in data {
                buffer[out] = digits[Int(byte >> 4)]
                buffer[out + 1] = digits[Int(byte & 0x0F)]
                out += 2
            }
            return out
        }
    }

    /// The hex text of the digest in the column named `column` of `row`.
    static func hex(_ row: Row, _ column: String) -> String {
        hex(row[column] as DatabaseValue)
    }

    /// The first 64 bits of a digest column's value, big-endian, as writers test "the store may have
    /// this chunk"; nil for anything but a 32-byte blob.
    static func prefix(_ value: DatabaseValue) -> UInt64? {
        guard case .blob(let data) = value.storage, data.count == 32 else { return nil }
        return data.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}
