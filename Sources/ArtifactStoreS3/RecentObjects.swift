import ArtifactStore
import Foundation

/// Whole objects read lately, kept in memory up to a byte budget, for the reads of the same objects
/// that follow.
///
/// A get reads each pack in several records requests (one per batch of files, a few at once), and
/// SeaweedFS spends about as much CPU on a ranged GET of 64 KiB as on the whole 8 MiB object: a
/// get of 475 MiB made 389 ranged GETs of 75 packs, 1.9 CPU seconds of SeaweedFS. Read whole once
/// and kept while the requests after it need it, each pack is one GET. When several readers want
/// the same object at once, one fetches it and the others wait for it. Objects are read into reused
/// buffers (`PackBuffers`), so a pack dropped here lends its memory to the next one read.
final class RecentObjects: @unchecked Sendable {
    /// Bytes kept at most; the least recently used objects go first.
    let capacity: Int
    /// Objects larger than this are never read whole.
    let largestObject: Int
    private let condition = NSCondition()
    private var objects: [String: Data] = [:]
    /// Keys from least to most recently used.
    private var order: [String] = []
    private var bytes = 0
    private var loading = Set<String>()
    /// Objects found larger than `largestObject`: read by ranges from then on.
    private var tooLarge = Set<String>()
    /// Where objects are read into: `largestObject` bytes each, a few kept idle for the next reads
    /// (several requests may each be reading a pack while the oldest one is dropped).
    let buffers: PackBuffers

    init(capacity: Int, largestObject: Int) {
        self.capacity = capacity
        self.largestObject = min(largestObject, capacity)
        buffers = PackBuffers(keeping: 4, largest: self.largestObject)
    }

    /// `key`'s whole bytes: kept ones, or fetched by `fetch` while other callers for the same key wait.
    /// `fetch` writes the object at the start of a buffer of `largestObject` bytes and returns its size,
    /// or nil when the object is larger. Nil when the object is too large to keep, or its fetch failed
    /// for another caller (who threw).
    func object(_ key: String, fetch: (UnsafeMutableRawBufferPointer) throws -> Int?) throws -> Data? {
        condition.lock()
        while true {
            if let object = objects[key] {
                touch(key)
                condition.unlock()
                return object
            }
            if tooLarge.contains(key) {
                condition.unlock()
                return nil
            }
            guard loading.contains(key) else { break }
            condition.wait()
            if !loading.contains(key) && objects[key] == nil && !tooLarge.contains(key) {
                // Its loader failed: the caller reads by ranges and meets the error itself.
                condition.unlock()
                return nil
            }
        }
        loading.insert(key)
        condition.unlock()
        let fetched: Data?
        do {
            fetched = try buffers.withBuffer(largestObject, fetch)
        } catch {
            condition.lock()
            loading.remove(key)
            condition.broadcast()
            condition.unlock()
            throw error
        }
        condition.lock()
        loading.remove(key)
        if let fetched {
            insert(fetched, for: key)
        } else {
            if tooLarge.count >= 10_000 { tooLarge.removeAll() }
            tooLarge.insert(key)
        }
        condition.broadcast()
        condition.unlock()
        return fetched
    }

    /// Forgets `key` (it was deleted or replaced).
    func remove(_ key: String) {
        condition.lock()
        if let object = objects.removeValue(forKey: key) {
            bytes -= object.count
            order.removeAll { $0 == key }
        }
        tooLarge.remove(key)
        condition.unlock()
    }

    /// Bytes kept now, for tests.
    var keptBytes: Int {
        condition.lock()
        defer { condition.unlock() }
        return bytes
    }

    /// Under the lock.
    private func touch(_ key: String) {
        if order.last != key, let index = order.firstIndex(of: key) {
            order.remove(at: index)
            order.append(key)
        }
    }

    /// Under the lock.
    private func insert(_ object: Data, for key: String) {
        if let old = objects.updateValue(object, forKey: key) {
            bytes -= old.count
            order.removeAll { $0 == key }
        }
        bytes += object.count
        order.append(key)
        while bytes > capacity, let oldest = order.first {
            order.removeFirst()
            bytes -= objects.removeValue(forKey: oldest)?.count ?? 0
        }
    }
}
