import Crypto
import Dispatch
import Foundation
import Synchronization

/// A thread that feeds a buffer to a running SHA-256 while the thread that asked writes the same
/// buffer out, so that hashing and writing one file's bytes take two cores instead of one after the
/// other — used only while a core would otherwise idle.
///
/// A restore's cost per byte is about one SHA-256 and one copy into the page cache (two with a cache
/// copy), of similar size; a file's hash is sequential, but its writes need not wait for it. While
/// every core has a file of its own, handing buffers over only adds wake-ups (on this 2-core virtual
/// machine, about a tenth more CPU for a 256 MiB file); once a worker has run out of files (the last
/// large file of few-large, a large file at the end of mixed, a version of one file), its core
/// hashes for the others.
///
/// Owned by one restore worker and used by one thread at a time; ``stop()`` ends the thread.
final class HashingThread: @unchecked Sendable {
    /// Buffers smaller than this are hashed inline: handing one over costs two wake-ups (tens of
    /// microseconds on a busy machine), about what hashing 64 KiB costs.
    static let minimumBytes = 128 << 10

    /// The cores a restore's workers leave free, shared by its workers' hashing threads.
    final class SpareCores: Sendable {
        private let cores: Int
        private let busyWorkers: Atomic<Int>

        /// `workers` start busy on a machine of `cores`.
        init(workers: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount) {
            self.cores = cores
            busyWorkers = Atomic(workers)
        }

        /// A worker has no file left.
        func workerFinished() { busyWorkers.subtract(1, ordering: .relaxed) }

        /// Whether some core has no worker on it.
        var any: Bool { busyWorkers.load(ordering: .relaxed) < cores }
    }

    private let spare: SpareCores
    private let request = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var started = false
    // Written by the owner before `request.signal()`, read by the thread after `request.wait()`:
    // the semaphores order every access.
    private var hasher: UnsafeMutablePointer<SHA256>?
    private var bytes = UnsafeRawBufferPointer(start: nil, count: 0)
    private var stopping = false

    /// A helper for one worker; its thread starts the first time a core is spare.
    init(spare: SpareCores) {
        self.spare = spare
    }

    /// Whether `bytes` would be hashed on the thread: large enough, with a core to spare.
    func takes(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= Self.minimumBytes && spare.any
    }

    /// Adds `bytes` to `hasher` on the thread while `body` runs on the caller's; returns once both
    /// are done, so `bytes` need only live for the call.
    func update(_ hasher: inout SHA256, with bytes: UnsafeRawBufferPointer, while body: () throws -> Void) throws {
        if !started {
            started = true
            let thread = Thread { [self] in run() }
            thread.stackSize = 256 << 10
            thread.start()
        }
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

    /// Ends the thread, if it started; the owner must not call ``update(_:with:while:)`` afterwards.
    func stop() {
        guard started else { return }
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
