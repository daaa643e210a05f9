import Foundation

/// How a chunk's bytes are kept inside a pack.
public enum ChunkCompression: Int, Sendable, Codable {
    /// Stored as is: compression would not have saved enough.
    case none = 0
    /// Compressed with zstd.
    case zstd = 1
}

/// Where a chunk's record sits: which pack, at which offset, how long.
public struct ChunkLocation: Hashable, Sendable {
    /// Key of the pack object.
    public var packKey: String
    /// Offset of the record's header within the pack.
    public var offset: Int64
    /// Header plus payload: the bytes the record occupies in the pack.
    public var storedLength: Int64
    /// Length of the chunk before compression.
    public var rawLength: Int
    /// How the payload is encoded.
    public var compression: ChunkCompression

    /// Creates a location, as a catalog reads it back.
    public init(packKey: String, offset: Int64, storedLength: Int64, rawLength: Int, compression: ChunkCompression) {
        self.packKey = packKey
        self.offset = offset
        self.storedLength = storedLength
        self.rawLength = rawLength
        self.compression = compression
    }
}

/// The fixed header in front of every chunk in a pack.
///
/// Packs are self-describing so `verify` can re-hash them and a damaged catalog can be rebuilt:
/// `magic "ARTC" | format u8 | compression u8 | reserved u16 | raw length u32 LE | payload length u32 LE
/// | SHA-256 of the raw chunk (32 bytes)`, then the payload.
struct PackRecordHeader: Equatable {
    static let size = 48
    static let magic: [UInt8] = Array("ARTC".utf8)
    static let format: UInt8 = 1

    var compression: ChunkCompression
    var rawLength: Int
    var payloadLength: Int
    var digest: [UInt8]

    func encoded() -> [UInt8] {
        var bytes = PackRecordHeader.magic
        bytes.append(PackRecordHeader.format)
        bytes.append(UInt8(compression.rawValue))
        bytes.append(contentsOf: [0, 0])
        bytes.append(contentsOf: withUnsafeBytes(of: UInt32(rawLength).littleEndian, Array.init))
        bytes.append(contentsOf: withUnsafeBytes(of: UInt32(payloadLength).littleEndian, Array.init))
        bytes.append(contentsOf: digest)
        return bytes
    }

    /// Reads a header, or explains why the bytes are not one.
    init(decoding bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count >= PackRecordHeader.size,
              Array(bytes[0..<4]) == PackRecordHeader.magic
        else { throw StoreError.corruptData(what: "chunk record", detail: "bad header magic") }
        guard bytes[4] == PackRecordHeader.format else {
            throw StoreError.corruptData(what: "chunk record", detail: "unknown record format \(bytes[4])")
        }
        guard let compression = ChunkCompression(rawValue: Int(bytes[5])) else {
            throw StoreError.corruptData(what: "chunk record", detail: "unknown compression \(bytes[5])")
        }
        self.compression = compression
        self.rawLength = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        self.payloadLength = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self)))
        self.digest = Array(bytes[16..<48])
    }

    init(compression: ChunkCompression, rawLength: Int, payloadLength: Int, digest: [UInt8]) {
        self.compression = compression
        self.rawLength = rawLength
        self.payloadLength = payloadLength
        self.digest = digest
    }
}
