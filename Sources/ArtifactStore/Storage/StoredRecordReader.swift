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

    /// Hands the records of `chunks` to `body` in the order given (a chunk named twice comes twice),
    /// reading each pack once for all of its records: one `read(key:ranges:)` per pack, so a store
    /// behind a network fetches each run of nearby records with one request and opens no reader.
    /// - Throws: `StoreError.io` when a pack cannot be read, `.corruptData` when one is too short.
    public func forEachRecord(of chunks: [StoredChunk], _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var recordsByPack: [String: [ChunkLocation]] = [:]
        for chunk in chunks { recordsByPack[chunk.location.packKey, default: []].append(chunk.location) }
        var records: [ChunkLocation: Data] = [:]
        for (packKey, locations) in recordsByPack.sorted(by: { $0.key < $1.key }) {
            let distinct = Set(locations).sorted { $0.offset < $1.offset }
            let read = try objects.read(
                key: packKey, ranges: distinct.map { $0.offset..<$0.offset + $0.storedLength })
            for (location, piece) in zip(distinct, read.pieces) {
                guard piece.count == location.storedLength else {
                    throw StoreError.corruptData(
                        what: "chunk record at \(location.offset) in \(packKey)", detail: "the pack ends at \(read.size)")
                }
                records[location] = piece
            }
        }
        for chunk in chunks {
            try records[chunk.location]!.withUnsafeBytes { try body($0) }
        }
    }

    private func packReader(_ key: String) throws -> any ObjectReader {
        if let reader = readers[key] { return reader }
        let reader = try objects.reader(key: key)
        readers[key] = reader
        return reader
    }
}
