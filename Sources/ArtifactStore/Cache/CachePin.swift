#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GRDB

/// Cached files that a running process uses; ``FileCache/cleanup(toAtMost:dryRun:unlinkLater:)`` leaves
/// them alone until the pin is released, explicitly or when it is deinitialized.
///
/// The pinned digests are one row of the index (`pinSet`); whether their process still lives is an
/// exclusive `flock` it holds on `pins/<token>` for the life of the pin. The kernel drops
/// that lock when the process dies however it dies, so pins of dead processes are seen as
/// such (and swept) without trusting process ids, which are reused and differ between
/// containers sharing one cache.
///
/// `@unchecked Sendable`: the only mutable state, the lock file's descriptor, is guarded by `lock`.
public final class CachePin: @unchecked Sendable {
    /// The digests this pin protects, each once, in byte order.
    public let digests: [String]

    /// Names the pin's rows and lock file.
    let token: String
    private let index: CacheIndex
    private let lockFilePath: String
    private let lock = NSLock()
    private var descriptor: Int32

    init(digests: [String], index: CacheIndex, token: String, lockFilePath: String, descriptor: Int32) {
        self.digests = digests
        self.index = index
        self.token = token
        self.lockFilePath = lockFilePath
        self.descriptor = descriptor
    }

    deinit {
        try? release()
    }

    /// Unpins the files. Releasing twice does nothing.
    public func release() throws {
        lock.lock()
        defer { lock.unlock() }
        guard descriptor >= 0 else { return }
        try index.database.write { db in try CacheIndex.unpin(db, token: token) }
        unlink(lockFilePath)
        close(descriptor)
        descriptor = -1
    }
}

extension FileCache {
    /// Pins files that the caller is about to use (whether or not they are cached yet), so
    /// that no cleanup, in this process or another, removes them until the pin is released.
    ///
    /// ```swift
    /// let pin = try cache.pin(manifest.entries.map(\.digest))
    /// defer { try? pin.release() }
    /// ```
    public func pin(_ digests: [String]) throws -> CachePin {
        // Each digest is checked as the pin's row is written (before that, nothing is pinned).
        // In byte order, each once: the get that pins them reads their rows, and writes their uses, in
        // that order. Repeats are neighbours once sorted, so no digest is hashed.
        var list = ByteOrder.sorted(digests)
        list.removeAdjacentRepeats()
        let token = UUID().uuidString
        let path = "\(pinsPath)/\(token)"
        let fd = try openFile(path, O_RDWR | O_CREAT | O_EXCL, mode: 0o644, operation: "create pin")
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let error = systemError("lock", path)
            close(fd)
            unlink(path)
            throw error
        }
        // The lock is held before any row names the token, so a sweeper never sees a live
        // pin as dead. The pid is for people looking into pins/.
        let note = Array("\(getpid())\n".utf8)
        _ = try? note.withUnsafeBytes { try writeAll(fd, $0, path: path) }
        do {
            try index.database.write { db in try CacheIndex.pin(db, token: token, digests: list) }
        } catch {
            close(fd)
            unlink(path)
            throw error
        }
        return CachePin(digests: list, index: index, token: token, lockFilePath: path, descriptor: fd)
    }

    /// Deletes the pins of processes that are gone, and their lock files, and removes the files
    /// those processes moved into the cache without living to record them (see
    /// ``FileCache/deferringUses(preloading:_:)``): a pinned digest with no row and no live pin.
    func sweepDeadPins() throws {
        let tokens = try index.database.read { db in try Array(CacheIndex.pins(db).keys) }
        // A lock file without rows may belong to a pin being made (created, not yet locked):
        // only one that has stayed so for a minute is a leftover.
        let aMinuteAgo = wallClockNanoseconds() - 60_000_000_000
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: pinsPath)) ?? []).filter {
            ((try? FileSignature.of(path: "\(pinsPath)/\($0)"))??.modifiedNs ?? 0) < aMinuteAgo
        }
        var dead: [String] = []
        for token in Set(tokens).union(files) where !isHeld(token) {
            dead.append(token)
            unlink("\(pinsPath)/\(token)")
        }
        guard !dead.isEmpty else { return }
        try index.database.write { db in
            // Under the write lock no immediate insert can move a file in between; deferred
            // inserts of live processes are covered by their own pins.
            let pins = try CacheIndex.pins(db)
            let dead = Set(dead)
            var orphaned = Set<String>()
            var stillPinned = Set<String>()
            for (token, digests) in pins {
                if dead.contains(token) { orphaned.formUnion(digests) } else { stillPinned.formUnion(digests) }
            }
            orphaned.subtract(stillPinned)
            if !orphaned.isEmpty {
                let recorded = try CacheIndex.entries(db, digests: Array(orphaned))
                for digest in orphaned where recorded[digest] == nil {
                    try removeFileIfPresent(objectPath(digest))
                }
            }
            for token in dead { try CacheIndex.unpin(db, token: token) }
        }
    }

    /// Whether a live process holds the lock of pin `token`. flock locks belong to open file
    /// descriptions, so this sees the pins of this very process as held too.
    private func isHeld(_ token: String) -> Bool {
        let fd = open("\(pinsPath)/\(token)", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK
    }
}

private extension Array where Element: Equatable {
    /// Keeps the first of each run of equal neighbours.
    mutating func removeAdjacentRepeats() {
        guard count > 1 else { return }
        var kept = 1
        for index in 1..<count where self[index] != self[kept - 1] {
            if index != kept { swapAt(index, kept) }
            kept += 1
        }
        removeSubrange(kept...)
    }
}
