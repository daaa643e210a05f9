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

    /// The blobs of several digests, in order.
    static func blobs(_ hexes: [String]) throws -> [Data] {
        try hexes.map(blob)
    }

    /// The hex text of a digest column's value: "" for NULL (a pending version has no digest yet).
    ///
    /// Text is passed through, so a value the catalog would refuse still shows in `verify` rather
    /// than stopping it.
    static func hex(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .blob(let data): return Hex.encode(data)
        case .string(let text): return text
        case .null, .int64, .double: return ""
        }
    }

    /// The hex text of the digest in column `index` of `row`.
    static func hex(_ row: Row, _ index: Int) -> String {
        hex(row[index] as DatabaseValue)
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
