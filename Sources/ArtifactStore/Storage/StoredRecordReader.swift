import Foundation

/// Copies chunks' records out of their packs as they are stored (header and payload, still
/// compressed), for sending to another store; the receiver checks them with `PackRecords`.
///
/// Not thread-safe: each worker has its own, with its own open packs.
public final class StoredRecordReader {
    private let objects: any ObjectStore
    private var readers: [String: any ObjectReader] = [:]

    /// A reader of `objects`' packs.
    public init(objects: any ObjectStore) { self.objects = objects }

    /// Appends `chunk`'s record to `records`.
    /// - Throws: `StoreError.io` when the pack cannot be read, `.corruptData` when it is too short.
    public func append(_ chunk: StoredChunk, to records: inout [UInt8]) throws {
        let location = chunk.location
        let reader = try packReader(location.packKey)
        guard location.offset >= 0, location.offset + location.storedLength <= reader.size else {
            throw StoreError.corruptData(
                what: "chunk \(chunk.digest.prefix(12))", detail: "pack \(location.packKey) is too short")
        }
        let length = Int(location.storedLength)
        let record = try [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            try reader.read(offset: location.offset, length: length, into: UnsafeMutableRawBufferPointer(buffer))
            count = length
        }
        records.append(contentsOf: record)
    }

    /// The bytes `readRecords(of:into:)` writes for `chunks`.
    public static func recordBytes(of chunks: [StoredChunk]) -> Int {
        chunks.reduce(0) { $0 + Int($1.location.storedLength) }
    }

    /// Writes the records of `chunks` one after another into `output` (exactly
    /// `recordBytes(of: chunks)` bytes), in the order given; a chunk named twice comes twice. Each
    /// pack is read once for all of its records (`read(key:ranges:forEachPiece:)`: on S3 one ranged GET
    /// per run of nearby records, no reader opened), and the bytes go straight to their places.
    /// - Throws: `StoreError.io` when a pack cannot be read, `.corruptData` when one is too short.
    public func readRecords(of chunks: [StoredChunk], into output: UnsafeMutableRawBufferPointer) throws {
        precondition(output.count == Self.recordBytes(of: chunks), "the output holds exactly the records")
        var places: [ChunkLocation: [Int]] = [:]
        var next = 0
        for chunk in chunks {
            places[chunk.location, default: []].append(next)
            next += Int(chunk.location.storedLength)
        }
        let byPack = Dictionary(grouping: places.keys, by: \.packKey)
        for (packKey, locations) in byPack.sorted(by: { $0.key < $1.key }) {
            let records = locations.sorted { $0.offset < $1.offset }
            var delivered = [Int](repeating: 0, count: records.count)
            let size = try objects.read(
                key: packKey, ranges: records.map { $0.offset..<$0.offset + $0.storedLength }
            ) { index, at, bytes in
                for place in places[records[index]]! {
                    (output.baseAddress! + place + at).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                }
                delivered[index] += bytes.count
            }
            for (record, count) in zip(records, delivered) where count != record.storedLength {
                throw StoreError.corruptData(
                    what: "chunk record at \(record.offset) in \(packKey)", detail: "the pack ends at \(size)")
            }
        }
    }

    private func packReader(_ key: String) throws -> any ObjectReader {
        if let reader = readers[key] { return reader }
        let reader = try objects.reader(key: key)
        readers[key] = reader
        return reader
    }
}
