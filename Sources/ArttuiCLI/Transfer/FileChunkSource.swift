import ArtifactStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a chunk of a file being put lies: the file (or in-memory entry), offset and length.
struct ChunkPlace: Sendable {
    var filePath: String
    var data: Data?
    var offset: Int64
    var length: Int
}

/// Reads chunks of files being put at the places their cutting found, and packs them as the store
/// does (`PackRecords.append`: compressed when that pays). A chunk whose bytes no longer hash to its
/// digest means the file changed after it was cut: the put stops, naming the file.
final class FileChunkSource: ChunkRecordSource {
    private let places: [String: ChunkPlace]
    private let codec = ZstdCodec()
    private var buffer: [UInt8] = []

    init(places: [String: ChunkPlace]) { self.places = places }

    func appendRecords(of digests: [String], to pack: inout [UInt8]) throws {
        for digest in digests {
            guard let place = places[digest] else {
                throw CommandFailure(message: "the server asked for chunk \(digest.prefix(12)), which this put does not hold")
            }
            let written = try withChunk(place) { PackRecords.append(chunk: $0, to: &pack, codec: codec) }
            guard written == digest else {
                throw StoreError.io(operation: "read", path: place.filePath, reason: "the file changed while it was being put")
            }
        }
    }

    private func withChunk<T>(_ place: ChunkPlace, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        if let data = place.data {
            return try data.withUnsafeBytes {
                try body(UnsafeRawBufferPointer(rebasing: $0[Int(place.offset)..<Int(place.offset) + place.length]))
            }
        }
        if buffer.count < place.length { buffer = [UInt8](repeating: 0, count: place.length) }
        let descriptor = open(place.filePath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StoreError.io(operation: "open", path: place.filePath, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var done = 0
        try buffer.withUnsafeMutableBytes { raw in
            while done < place.length {
                let count = pread(descriptor, raw.baseAddress! + done, place.length - done, off_t(place.offset) + off_t(done))
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    throw StoreError.io(operation: "read", path: place.filePath, reason: "the file changed while it was being put")
                }
                done += count
            }
        }
        return try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<place.length])) }
    }
}
