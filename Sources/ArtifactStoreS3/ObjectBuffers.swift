import Foundation

/// Buffers for whole objects, each handed out again once the `Data` made over it is released.
///
/// A get reads its packs whole, one fresh 8 MiB buffer each: the server's allocator maps every one of
/// them anew (its mmap threshold is 1 MiB, `MemoryTuning`), and the kernel faults, zeroes and charges
/// it page by page as the answer is copied in, then unmaps it when the pack is dropped. That was a
/// fifth of the server's CPU in a remote get (`perf`: `exc_page_fault`, `clear_page`, memcg charges
/// under the S3 body callback). A buffer given back keeps its pages, so the next pack is copied into
/// memory that is already there. At most `keptIdle` idle buffers are kept; the rest are freed.
final class ObjectBuffers: @unchecked Sendable {
    /// Bytes of every buffer.
    let size: Int
    /// Idle buffers kept for reuse; one given back beyond these is freed.
    let keptIdle: Int
    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []

    init(size: Int, keptIdle: Int) {
        self.size = max(1, size)
        self.keptIdle = max(0, keptIdle)
    }

    deinit {
        for buffer in idle { free(buffer) }
    }

    /// Idle buffers now, for tests.
    var idleCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return idle.count
    }

    /// Lends a buffer of `size` bytes to `fill`, which writes an object's bytes at its start and
    /// returns how many (nil: none worth keeping); returns them as `Data` that gives the buffer back
    /// when its last copy or slice is released. The buffer is given back at once when `fill` throws
    /// or returns nil or 0.
    func withBuffer(_ fill: (UnsafeMutableRawBufferPointer) throws -> Int?) rethrows -> Data? {
        let buffer = take()
        let count: Int?
        do {
            count = try fill(UnsafeMutableRawBufferPointer(start: buffer, count: size))
        } catch {
            giveBack(buffer)
            throw error
        }
        guard let count, count > 0 else {
            giveBack(buffer)
            return count == nil ? nil : Data()
        }
        precondition(count <= size, "an object buffer holds at most \(size) bytes")
        return Data(bytesNoCopy: buffer, count: count, deallocator: .custom { [self] pointer, _ in giveBack(pointer) })
    }

    private func take() -> UnsafeMutableRawPointer {
        lock.lock()
        let reused = idle.popLast()
        lock.unlock()
        if let reused { return reused }
        guard let fresh = malloc(size) else { fatalError("out of memory for a \(size)-byte object buffer") }
        return fresh
    }

    private func giveBack(_ buffer: UnsafeMutableRawPointer) {
        lock.lock()
        if idle.count < keptIdle {
            idle.append(buffer)
            lock.unlock()
        } else {
            lock.unlock()
            free(buffer)
        }
    }
}
