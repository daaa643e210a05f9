import Foundation

/// The headers of sealed objects this process wrote or read, by object key, so a ranged read of a
/// pack need not fetch its first bytes again.
///
/// An entry never goes stale: objects are written once under keys never used before, and a header is
/// authenticated by every segment opened with it.
final class SealedHeaderCache: @unchecked Sendable {
    private let lock = NSLock()
    private var headers: [String: [UInt8]] = [:]
    /// 36 bytes and a key each: a few MiB at most.
    private let capacity: Int

    init(capacity: Int = 16_384) {
        self.capacity = capacity
    }

    func header(for key: String) -> [UInt8]? {
        lock.withLock { headers[key] }
    }

    func insert(_ header: [UInt8], for key: String) {
        lock.withLock {
            // Forgetting everything at once is crude but bounded; a forgotten header costs one more
            // 36-byte range in the next read of that object.
            if headers.count >= capacity { headers.removeAll(keepingCapacity: true) }
            headers[key] = header
        }
    }

    func remove(_ key: String) {
        _ = lock.withLock { headers.removeValue(forKey: key) }
    }
}
