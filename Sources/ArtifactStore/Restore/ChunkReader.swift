import Crypto
import Foundation

/// Reads chunks back from packs, checking every byte against its digest (unless the caller checks
/// the whole content itself).
///
/// Not thread-safe: each worker has its own, with its own open packs, buffer and codec.
final class ChunkReader {
    private let catalog: any Catalog
    private let objects: any ObjectStore
    private let codec = ZstdCodec()
    private var readers: [String: any ObjectReader] = [:]
    private var record: [UInt8] = []

    init(catalog: any Catalog, objects: any ObjectStore) {
        self.catalog = catalog
        self.objects = objects
    }

    /// Streams a content's chunks, in order, to `body`, each one verified unless `checkingEach` is
    /// false: then only the record's header is checked against the catalog, and the caller must check
    /// the content's digest (hashing every byte once instead of twice).
    ///
    /// `chunks` is the content's chunk list when the caller already fetched it (a restore fetches
    /// a whole version's at once); otherwise it is looked up.
    /// - Throws: `StoreError.corruptData` naming the chunk when it is missing or damaged.
    func forEachChunk(
        ofContent digest: String, chunks known: [StoredChunk]? = nil, checkingEach: Bool = true,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let chunks = try known ?? catalog.chunkLocations(contentDigest: digest)
        for chunk in chunks {
            do {
                try read(chunk, checking: checkingEach, body)
            } catch StoreError.io {
                // A concurrent delete may have compacted the pack: look the chunk up once more.
                readers[chunk.location.packKey] = nil
                let again = try catalog.chunkLocations(contentDigest: digest).first { $0.digest == chunk.digest }
                guard let again, again.location != chunk.location else {
                    throw StoreError.corruptData(
                        what: "chunk \(chunk.digest.prefix(12))", detail: "pack \(chunk.location.packKey) is missing")
                }
                try read(again, checking: checkingEach, body)
            }
        }
    }

    private func read(_ chunk: StoredChunk, checking: Bool, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let location = chunk.location
        let reader = try packReader(location.packKey)
        let length = Int(location.storedLength)
        guard location.offset >= 0, location.offset + location.storedLength <= reader.size,
              length >= PackRecordHeader.size
        else {
            throw StoreError.corruptData(
                what: "chunk \(chunk.digest.prefix(12))", detail: "pack \(location.packKey) is too short")
        }
        // In place from a local pack's pages (no copy into `record`), else read into it.
        try reader.withBytes(offset: location.offset, length: length, scratch: &record) { bytes in
            let header = try PackRecordHeader(decoding: bytes)
            let expected = Hex.decode(chunk.digest)
            guard header.digest == expected, header.rawLength == location.rawLength,
                  header.payloadLength == length - PackRecordHeader.size
            else {
                throw StoreError.corruptData(
                    what: "chunk \(chunk.digest.prefix(12))", detail: "record header does not match the catalog")
            }
            let payload = UnsafeRawBufferPointer(rebasing: bytes[PackRecordHeader.size...])
            switch header.compression {
            case .none:
                if checking { try check(payload, digest: expected, chunk: chunk) }
                try body(payload)
            case .zstd:
                try codec.withDecompressed(payload, rawLength: header.rawLength) { plain in
                    if checking { try check(plain, digest: expected, chunk: chunk) }
                    try body(plain)
                }
            }
        }
    }

    private func check(_ bytes: UnsafeRawBufferPointer, digest: [UInt8]?, chunk: StoredChunk) throws {
        guard Array(SHA256.hash(data: bytes)) == digest else {
            throw StoreError.corruptData(
                what: "chunk \(chunk.digest.prefix(12))",
                detail: "its bytes in \(chunk.location.packKey) do not match its SHA-256")
        }
    }

    private func packReader(_ key: String) throws -> any ObjectReader {
        if let reader = readers[key] { return reader }
        let reader = try objects.reader(key: key)
        readers[key] = reader
        return reader
    }
}
