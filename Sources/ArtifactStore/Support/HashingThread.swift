import Crypto
import Dispatch
import Foundation

/// A thread that feeds a buffer to a running SHA-256 while the thread that asked writes the same
/// buffer out, so that hashing and writing one file's bytes take two cores instead of one after the
/// other.
///
/// A restore's cost per byte is about one SHA-256 and one copy into the page cache (two with a cache
/// copy), of similar size; a file's hash is sequential, but its writes need not wait for it. With
/// one file left (or one large file among small ones) the second core would otherwise idle.
///
/// Owned by one restore worker and used by one thread at a time; ``stop()`` ends the thread.
final class HashingThread: @unchecked Sendable {
    /// Buffers smaller than this are hashed inline: handing one over costs two wake-ups (tens of
    /// microseconds on a busy machine), about what hashing 64 KiB costs.
    static let minimumBytes = 128 << 10

    private let request = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    // Written by the owner before `request.signal()`, read by the thread after `request.wait()`:
    // the semaphores order every access.
    private var hasher: UnsafeMutablePointer<SHA256>?
    private var bytes = UnsafeRawBufferPointer(start: nil, count: 0)
    private var stopping = false

    init() {
        let thread = Thread { [self] in run() }
        thread.stackSize = 256 << 10
        thread.start()
    }

    /// Adds `bytes` to `hasher` on the thread while `body` runs on the caller's; returns once both
    /// are done, so `bytes` need only live for the call.
    func update(_ hasher: inout SHA256, with bytes: UnsafeRawBufferPointer, while body: () throws -> Void) throws {
        try withUnsafeMutablePointer(to: &hasher) { pointer in
            self.hasher = pointer
            self.bytes = bytes
            request.signal()
            defer {
                finished.wait()
                self.hasher = nil
            }
            try body()
        }
    }

    /// Ends the thread; the owner must not call ``update(_:with:while:)`` afterwards.
    func stop() {
        stopping = true
        request.signal()
    }

    private func run() {
        while true {
            request.wait()
            if stopping { return }
            hasher!.pointee.update(bufferPointer: bytes)
            finished.signal()
        }
    }
}
