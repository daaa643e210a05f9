import ArtifactStore
import Foundation
import S3Client

/// Random reads of one S3 object through ranged GETs, with a read-ahead window: a read outside
/// the window fetches at least `readAhead` bytes from its offset on.
///
/// Not thread-safe, like every `ObjectReader`: each restore worker opens its own.
final class S3ObjectReader: ObjectReader {
    private let client: S3Client
    private let bucket: String
    private let key: String
    private let readAhead: Int
    private var window = Data()
    private var windowStart: Int64 = 0
    let size: Int64

    init(client: S3Client, bucket: String, key: String, size: Int64, readAhead: Int) {
        self.client = client
        self.bucket = bucket
        self.key = key
        self.size = size
        self.readAhead = readAhead
    }

    func read(offset: Int64, length: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        precondition(buffer.count >= length)
        guard offset >= 0, offset + Int64(length) <= size else {
            throw StoreError.corruptData(
                what: "object s3://\(bucket)/\(key)", detail: "ends at \(size), expected \(length) bytes at \(offset)")
        }
        guard length > 0 else { return }
        let end = offset + Int64(length)
        if offset < windowStart || end > windowStart + Int64(window.count) {
            let fetchEnd = min(size, max(end, offset + Int64(readAhead)))
            window = try fetch(offset..<fetchEnd)
            windowStart = offset
        }
        let from = window.startIndex + Int(offset - windowStart)
        _ = window.copyBytes(to: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<length]), from: from..<from + length)
    }

    private func fetch(_ range: Range<Int64>) throws -> Data {
        do {
            return try client.getObject(bucket: bucket, key: key, range: range)
        } catch {
            // Deleted since it was opened (compaction): the caller looks the chunk up again.
            throw S3ObjectStore.translated(error, bucket: bucket, key: key, operation: "read")
        }
    }
}
