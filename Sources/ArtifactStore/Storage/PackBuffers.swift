import Dispatch
import Foundation
import Synchronization

/// Memory for whole packs held in flight (a team server's received packs, their sealed form on the
/// way to the bucket, and the packs it reads back from the bucket for a get), reused from one pack to
/// the next.
///
/// A pack is several MiB. Allocated afresh, each one was a new mapping from the kernel (a team server
/// caps glibc's mmap threshold at 1 MiB so that freed packs go back to the system) whose every page
/// faulted in and was zeroed before it was written: on a put through the server, the received copy
/// and the sealed copy cost about a sixth of the server's CPU that way. A few buffers are kept
/// instead, each at most `largest` bytes, so what stays resident is bounded.
public final class PackBuffers: Sendable {
    /// One block of memory handed out by `take`.
    public struct Buffer: @unchecked Sendable {
        let start: UnsafeMutableRawPointer
        let capacity: Int
        /// How many bytes were asked for: the first `count` bytes of the block.
        public let count: Int

        /// The bytes asked for (their content undefined until written).
        public var bytes: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: start, count: count) }
    }

    /// The idle buffers, and when a buffer was last handed back.
    private let idle = Mutex<(buffers: [Buffer], lastGiven: ContinuousClock.Instant)>(([], .now))
    private let keeping: Int
    private let largest: Int
    private let idleLifetime: Duration
    /// Capacities are rounded up to a multiple of this, so packs of slightly different sizes fit one buffer.
    private static let granule = 4 << 20

    /// - Parameters:
    ///   - keeping: idle buffers kept at most (as many as packs are in flight at once, typically).
    ///   - largest: buffers larger than this are freed rather than kept. 16 MiB holds the packs the
    ///     arttui client sends (8 MiB of chunks and the last chunk that overshoots it, sealed or not);
    ///     a server's two pools then keep at most 2 x 4 x 16 MiB.
    ///   - idleLifetime: once no buffer was handed back for this long, the idle ones are freed: a
    ///     server that stopped receiving packs does not keep their memory.
    public init(keeping: Int = 4, largest: Int = 16 << 20, idleLifetime: Duration = .seconds(2)) {
        self.keeping = keeping
        // As buffers are rounded up: one asked for at `largest` bytes is kept too.
        self.largest = (largest + Self.granule - 1) / Self.granule * Self.granule
        self.idleLifetime = idleLifetime
    }

    deinit {
        for buffer in idle.withLock({ $0.buffers }) { buffer.start.deallocate() }
    }

    /// `count` bytes (content undefined), from an idle buffer when one is large enough. Hand it back
    /// with `give`, or wrap it with `data(_:)`.
    public func take(_ count: Int) -> Buffer {
        let reused = idle.withLock { idle -> Buffer? in
            guard let index = idle.buffers.firstIndex(where: { $0.capacity >= count }) else { return nil }
            return idle.buffers.remove(at: index)
        }
        if let reused { return Buffer(start: reused.start, capacity: reused.capacity, count: count) }
        let capacity = max(1, (count + Self.granule - 1) / Self.granule * Self.granule)
        return Buffer(start: .allocate(byteCount: capacity, alignment: 64), capacity: capacity, count: count)
    }

    /// Hands back a buffer from `take`, which must no longer be used. When `keeping` buffers are idle
    /// already, the smallest of them and this one is freed: the kept ones grow to the sizes asked for.
    public func give(_ buffer: Buffer) {
        guard buffer.capacity <= largest else { return buffer.start.deallocate() }
        let freed = idle.withLock { idle -> Buffer? in
            idle.lastGiven = .now
            guard idle.buffers.count >= keeping else {
                idle.buffers.append(buffer)
                return nil
            }
            guard let smallest = idle.buffers.indices.min(by: { idle.buffers[$0].capacity < idle.buffers[$1].capacity }),
                  idle.buffers[smallest].capacity < buffer.capacity
            else { return buffer }
            defer { idle.buffers[smallest] = buffer }
            return idle.buffers[smallest]
        }
        freed?.start.deallocate()
        let lifetime = idleLifetime
        let seconds = Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [weak self] in self?.freeIfIdle() }
    }

    /// Frees the idle buffers when none was handed back for `idleLifetime`.
    private func freeIfIdle() {
        let freed = idle.withLock { idle -> [Buffer] in
            guard ContinuousClock.now - idle.lastGiven >= idleLifetime else { return [] }
            defer { idle.buffers = [] }
            return idle.buffers
        }
        for buffer in freed { buffer.start.deallocate() }
    }

    /// The capacities of the buffers kept idle now.
    var idleCapacities: [Int] { idle.withLock { $0.buffers.map(\.capacity) } }

    /// Lends `count` bytes to `fill`, which writes at their start and returns how many it wrote (nil:
    /// none worth keeping), and returns those bytes as `data(_:)` does. The buffer comes back at once
    /// when `fill` throws or returns nil or 0.
    public func withBuffer(_ count: Int, _ fill: (UnsafeMutableRawBufferPointer) throws -> Int?) rethrows -> Data? {
        let buffer = take(count)
        let written: Int?
        do {
            written = try fill(buffer.bytes)
        } catch {
            give(buffer)
            throw error
        }
        guard let written, written > 0 else {
            give(buffer)
            return written == nil ? nil : Data()
        }
        precondition(written <= count, "a buffer of \(count) bytes cannot hold \(written)")
        return data(Buffer(start: buffer.start, capacity: buffer.capacity, count: written))
    }

    /// The buffer's bytes as `Data`, without a copy; the buffer comes back here when the last copy of
    /// that `Data` is gone, not before, so whoever keeps the bytes keeps them intact.
    public func data(_ buffer: Buffer) -> Data {
        Data(bytesNoCopy: buffer.start, count: buffer.count, deallocator: .custom { [self] _, _ in give(buffer) })
    }
}
