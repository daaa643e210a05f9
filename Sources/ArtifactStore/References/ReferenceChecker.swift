import Crypto
import Foundation

/// Compares what a reference points at now with the checksum recorded for it: the one place where
/// every scheme's bytes and ETags are checked.
public struct ReferenceChecker: Sendable {
    /// The sources to read from.
    public let resolver: ReferenceResolver

    /// Creates a checker reading through `resolver`.
    public init(resolver: ReferenceResolver) {
        self.resolver = resolver
    }

    /// What a check found.
    public enum Outcome: Equatable, Sendable {
        /// The source matches what was recorded (or the entry was recorded without a checksum).
        case unchanged
        /// The source now has this checksum.
        case changed(current: String)
    }

    /// Checks a reference without downloading it where the scheme allows: an ETag is asked for with
    /// a HEAD request; a content hash (`file://`, `http(s)` without an ETag) must read the bytes.
    /// - Throws: `StoreError.referenceUnavailable` when the source is gone or unreachable.
    public func check(_ entry: ManifestEntry) throws -> Outcome {
        guard let reference = entry.reference else { return .unchanged }
        let source = try resolver.source(for: reference.uri)
        let recorded = ReferenceChecksum(digest: entry.digest)
        let current: ReferenceChecksum
        do {
            switch recorded {
            case .etag:
                guard let tag = try source.currentETag(of: reference) else {
                    return .changed(current: "(no ETag)")
                }
                current = ReferenceChecksum.etag(header: tag)
            case .unchecked:
                // Nothing to compare; still report a source that is gone.
                _ = try source.currentETag(of: reference)
                return .unchanged
            case .sha256, .md5:
                var hasher = ContentHasher(like: recorded)
                _ = try source.read(reference) { hasher.update($0) }
                current = hasher.finish()
            }
        } catch let error as StoreError {
            throw Self.naming(entry, error)
        }
        return current == recorded ? .unchanged : .changed(current: current.description)
    }

    /// Writes a reference's bytes to `destination`, checked against the recorded checksum on the way.
    ///
    /// Changed content is not written unless `allowChanged`; then `warn` is told.
    /// - Throws: `StoreError.referenceChanged` naming the path and both checksums,
    ///   `.referenceUnavailable` when the source cannot be read.
    public func fetch(
        _ entry: ManifestEntry, to destination: String, allowChanged: Bool, warn: (String) -> Void
    ) throws {
        guard let reference = entry.reference else { return }
        let source = try resolver.source(for: reference.uri)
        let recorded = ReferenceChecksum(digest: entry.digest)
        let output = try PendingFile.create(toBecome: destination, mode: 0o666)
        defer { output.close() }
        var hasher = ContentHasher(like: recorded)
        let tag: String?
        do {
            tag = try source.read(reference) { bytes in
                try writeAll(output.fd, bytes, path: destination)
                hasher.update(bytes)
            }
        } catch let error as StoreError {
            throw Self.naming(entry, error)
        }
        let current: ReferenceChecksum
        switch recorded {
        case .etag: current = tag.map { ReferenceChecksum.etag(header: $0) } ?? .etag("(none)")
        case .unchecked: current = recorded
        case .sha256, .md5: current = hasher.finish()
        }
        if current != recorded {
            let error = StoreError.referenceChanged(
                path: entry.path, uri: reference.uri, recorded: recorded.description, current: current.description)
            guard allowChanged else { throw error }
            warn("warning: \(entry.path): \(reference.uri) changed since it was recorded "
                + "(recorded \(recorded), now \(current)); downloaded anyway (--allow-changed)")
        }
        try output.place(at: destination)
    }

    /// Writes each reference entry of `entries` under `root` (at `root/PATH`), as `fetch(_:to:allowChanged:warn:)`
    /// writes one, `workers` at a time; stored entries are skipped. A get does this once the stored files
    /// are in place, locally and from a team server alike.
    /// Warnings reach `warn` on the calling thread, in `entries`' order, once every fetch has ended.
    /// - Throws: the first failure in `entries`' order, once every fetch has ended (the others are in place).
    public func fetch(
        _ entries: [ManifestEntry], under root: String, allowChanged: Bool, workers: Int = Self.defaultWorkers,
        warn: (String) -> Void
    ) throws {
        let referenced = entries.filter { $0.reference != nil }
        let outcomes = Self.forEach(referenced, workers: workers) { entry in
            var warnings: [String] = []
            try fetch(entry, to: root + "/" + entry.path, allowChanged: allowChanged) { warnings.append($0) }
            return warnings
        }
        var firstFailure: (any Error)?
        for outcome in outcomes {
            switch outcome {
            case .success(let warnings): warnings.forEach(warn)
            case .failure(let error): firstFailure = firstFailure ?? error
            }
        }
        if let firstFailure { throw firstFailure }
    }

    /// Checks each of `entries` as `check(_:)` does, `workers` at a time; the outcomes are in `entries`' order.
    public func check(_ entries: [ManifestEntry], workers: Int = Self.defaultWorkers) -> [Result<Outcome, any Error>] {
        Self.forEach(entries, workers: workers) { try check($0) }
    }

    /// How many sources are asked at once: a check or fetch mostly waits for a remote answer (an S3 HEAD
    /// costs a round trip and little work), so many at a time, as many as a connection pool keeps.
    public static let defaultWorkers = 16

    /// `body` of each entry on up to `workers` threads, the outcomes in `entries`' order.
    private static func forEach<Value: Sendable>(
        _ entries: [ManifestEntry], workers: Int, _ body: @escaping @Sendable (ManifestEntry) throws -> Value
    ) -> [Result<Value, any Error>] {
        guard entries.count > 1, workers > 1 else { return entries.map { entry in Result { try body(entry) } } }
        let results = ResultSlots<Value>(count: entries.count)
        WorkerThreads.run(min(workers, entries.count)) { _ in
            while let index = results.claim() { results.set(index, Result { try body(entries[index]) }) }
        }
        return results.values
    }

    /// The error, with the entry's artifact path where the source named only its own.
    private static func naming(_ entry: ManifestEntry, _ error: StoreError) -> StoreError {
        if case let .referenceUnavailable(_, uri, reason) = error {
            return .referenceUnavailable(path: entry.path, uri: uri, reason: reason)
        }
        return error
    }
}

/// Hashes bytes the way a recorded checksum was made: SHA-256 (hex) or MD5 (base64).
struct ContentHasher {
    private var sha256: SHA256?
    private var md5: Insecure.MD5?

    init(like checksum: ReferenceChecksum) {
        switch checksum {
        case .md5: md5 = Insecure.MD5()
        default: sha256 = SHA256()
        }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha256?.update(bufferPointer: bytes)
        md5?.update(bufferPointer: bytes)
    }

    func finish() -> ReferenceChecksum {
        if let md5 { return .md5(Data(md5.finalize()).base64EncodedString()) }
        return .sha256(sha256!.finalize().hexString)
    }
}

/// The outcomes of work shared by several threads: each claims the next index and files its result.
private final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var slots: [Result<Value, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// The next unclaimed index, or nil when all are taken.
    func claim() -> Int? {
        lock.withLock {
            guard next < slots.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func set(_ index: Int, _ result: Result<Value, any Error>) { lock.withLock { slots[index] = result } }

    /// Every outcome, once all are filed.
    var values: [Result<Value, any Error>] { lock.withLock { slots.map { $0! } } }
}
