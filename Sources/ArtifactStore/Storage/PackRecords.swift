import Crypto
import Foundation

/// The pack-record format as a public codec, for stores that receive packs from elsewhere (a team
/// server) and clients that build them: the same records `PackWriter` writes, byte for byte.
public enum PackRecords {
    /// One record found in a pack by `scan`.
    public struct Record: Hashable, Sendable {
        /// SHA-256 of the raw chunk (hex), checked against the bytes.
        public var digest: String
        /// Where the record lies in the pack, its length, the raw length and the encoding.
        public var location: ChunkLocation
    }

    /// Size of the fixed header in front of every record.
    public static let headerSize = PackRecordHeader.size

    /// Appends a record for `chunk` to `pack`, compressed when that saves enough, and returns the
    /// chunk's SHA-256 (hex).
    @discardableResult
    public static func append(chunk: UnsafeRawBufferPointer, to pack: inout [UInt8], codec: ZstdCodec) -> String {
        let digest = Array(SHA256.hash(data: chunk))
        append(chunk: chunk, digest: digest, to: &pack, codec: codec)
        return Hex.encode(digest)
    }

    /// Appends a record for `chunk`, whose SHA-256 the caller computed from these very bytes (when it
    /// cut them) and vouches for: the chunk is not hashed again. A receiver checks every record anyway.
    public static func append(chunk: UnsafeRawBufferPointer, digest: [UInt8], to pack: inout [UInt8], codec: ZstdCodec) {
        codec.withCompressed(chunk) { compressed in
            let payload = compressed ?? chunk
            let header = PackRecordHeader(
                compression: compressed == nil ? .none : .zstd, rawLength: chunk.count,
                payloadLength: payload.count, digest: digest)
            pack.append(contentsOf: header.encoded())
            pack.append(contentsOf: payload)
        }
    }

    /// Reads every record of a whole pack and checks that each decodes to bytes whose SHA-256 is the
    /// digest its header names.
    /// - Parameters:
    ///   - pack: the pack's bytes.
    ///   - packKey: the key the records' locations name.
    ///   - maxRawLength: the largest chunk accepted.
    /// - Throws: `StoreError.corruptData` naming the record's offset and what is wrong with it.
    public static func scan(
        _ pack: UnsafeRawBufferPointer, packKey: String, maxRawLength: Int, codec: ZstdCodec
    ) throws -> [Record] {
        var records: [Record] = []
        try walk(pack, maxRawLength: maxRawLength, codec: codec) { offset, end, header, _ in
            records.append(Record(
                digest: Hex.encode(header.digest),
                location: ChunkLocation(
                    packKey: packKey, offset: Int64(offset), storedLength: Int64(end - offset),
                    rawLength: header.rawLength, compression: header.compression)))
        }
        return records
    }

    /// Decodes every record of a run of records (a pack, or records sent by a server), checks each
    /// against its digest (unless `checkingEach` is false: the caller checks what the chunks make up),
    /// and hands the chunk's digest (hex) and decoded bytes to `body` in order.
    /// - Throws: `StoreError.corruptData` naming the record's offset and what is wrong with it.
    public static func forEachChunk(
        in records: UnsafeRawBufferPointer, maxRawLength: Int, codec: ZstdCodec, checkingEach: Bool = true,
        _ body: (String, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try walk(records, maxRawLength: maxRawLength, codec: codec, checking: checkingEach) { _, _, header, chunk in
            try body(Hex.encode(header.digest), chunk)
        }
    }

    /// Walks the records, decoding and checking each one, and calls `body` with its bounds, header and
    /// decoded bytes.
    /// `base` is where `pack` starts in the whole run, for the messages. A compressed chunk is
    /// decompressed where `placing` says for its length (nil: into the codec's buffer); a raw one is
    /// handed as it lies in `pack`.
    static func walk(
        _ pack: UnsafeRawBufferPointer, maxRawLength: Int, codec: ZstdCodec, checking: Bool = true, base: Int = 0,
        placing: ((Int) -> UnsafeMutableRawPointer?)? = nil,
        _ body: (Int, Int, PackRecordHeader, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var offset = 0
        while offset < pack.count {
            func failure(_ detail: String) -> StoreError {
                StoreError.corruptData(what: "pack record at offset \(base + offset)", detail: detail)
            }
            guard pack.count - offset >= headerSize else { throw failure("is cut short inside its header") }
            let header = try PackRecordHeader(decoding: UnsafeRawBufferPointer(rebasing: pack[offset...]))
            guard header.rawLength <= maxRawLength else {
                throw failure("holds a chunk of \(header.rawLength) bytes; at most \(maxRawLength) are accepted")
            }
            let end = offset + headerSize + header.payloadLength
            guard end <= pack.count else { throw failure("is cut short inside its payload") }
            let payload = UnsafeRawBufferPointer(rebasing: pack[(offset + headerSize)..<end])
            func check(_ chunk: UnsafeRawBufferPointer) throws {
                if checking {
                    let digest = Array(SHA256.hash(data: chunk))
                    guard digest == header.digest else {
                        throw failure("holds bytes whose SHA-256 is \(Hex.encode(digest)), not \(Hex.encode(header.digest))")
                    }
                }
                try body(offset, end, header, chunk)
            }
            switch header.compression {
            case .none:
                guard header.payloadLength == header.rawLength else {
                    throw failure("is stored raw but its lengths differ")
                }
                try check(payload)
            case .zstd:
                if header.rawLength > 0, let place = placing?(header.rawLength) {
                    try codec.decompress(payload, into: UnsafeMutableRawBufferPointer(start: place, count: header.rawLength))
                    try check(UnsafeRawBufferPointer(start: place, count: header.rawLength))
                } else {
                    try codec.withDecompressed(payload, rawLength: header.rawLength) { try check($0) }
                }
            }
            offset = end
        }
    }

    /// A fresh pack key in the layout `PackWriter` uses.
    public static func newPackKey() -> String {
        let name = PackWriter.newPackName()
        return "packs/\(name.prefix(2))/\(name).pack"
    }
}

extension PackRecords {
    /// Reads one chunk from its pack, decoded, after checking its header and SHA-256.
    /// - Throws: `StoreError.corruptData` when the record is not the chunk the catalog says it is.
    public static func read(_ chunk: StoredChunk, from objects: any ObjectStore, codec: ZstdCodec) throws -> [UInt8] {
        let location = chunk.location
        // One ranged read: no reader to open (a HEAD, the sealed header and last segment on S3).
        let read = try objects.read(key: location.packKey, ranges: [location.offset..<location.offset + location.storedLength])
        guard let record = read.pieces.first, record.count == location.storedLength else {
            throw StoreError.corruptData(
                what: "chunk \(chunk.digest.prefix(12))", detail: "pack \(location.packKey) ends at \(read.size)")
        }
        return try record.withUnsafeBytes { bytes in
            let records = try scan(bytes, packKey: location.packKey, maxRawLength: Int(UInt32.max), codec: codec)
            guard records.count == 1, records[0].digest == chunk.digest else {
                throw StoreError.corruptData(
                    what: "chunk \(chunk.digest.prefix(12)) in \(location.packKey)", detail: "its record names another chunk")
            }
            let payload = UnsafeRawBufferPointer(rebasing: bytes[headerSize...])
            return location.compression == .zstd
                ? try codec.decompress(payload, rawLength: location.rawLength) : Array(payload)
        }
    }
}
