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

    private func packReader(_ key: String) throws -> any ObjectReader {
        if let reader = readers[key] { return reader }
        let reader = try objects.reader(key: key)
        readers[key] = reader
        return reader
    }
}
