import Crypto
import Foundation

/// A version's manifest digest computed as its files arrive, a batch at a time: what
/// `Store.manifestDigest` computes for files held at once, for a version too large to hold.
///
/// Each batch is put in byte order (as the digest needs) if it is not; the batches themselves must
/// follow one another in that order, every path after the previous batch's last, which also means no
/// path is named in two batches.
public struct ManifestDigest {
    private var hash = SHA256()
    private var lines: [UInt8] = []
    private var lastPath: String?
    private var batches = 0

    /// Starts a digest.
    public init() {
        hash.update(data: Data("arttui-manifest-v1\n".utf8))
        lines.reserveCapacity(1 << 16)
    }

    /// Adds the lines of the next batch of files (part `n` of a version sent in parts is the n-th, from 0).
    /// - Throws: `StoreError.conflictingPath` for a path the previous batch ended with, and
    ///   `StoreError.invalidArgument` naming the first path that comes before the previous batch's last.
    public mutating func add(_ files: [ManifestEntry]) throws {
        let sorted = Self.inByteOrder(files)
        if let lastPath, let first = sorted.first {
            guard first.path != lastPath else { throw StoreError.conflictingPath(path: first.path) }
            guard ByteOrder.precedes(lastPath, first.path) else {
                throw StoreError.invalidArgument(
                    "part \(batches) starts with \"\(EscapedText.oneLine(first.path))\", which comes before \"\(EscapedText.oneLine(lastPath))\", where part \(batches - 1) ended: a version's parts must follow manifest (byte) order")
            }
        }
        append(sorted)
        batches += 1
        if let last = sorted.last { lastPath = last.path }
    }

    /// The digest (hex) of every file added.
    public mutating func finish() -> String {
        lines.withUnsafeBytes { hash.update(bufferPointer: $0) }
        lines.removeAll()
        return Hex.encode(Array(hash.finalize()))
    }

    /// The digest of `files` held at once, in any order.
    static func of(_ files: [ManifestEntry]) -> String {
        var digest = ManifestDigest()
        digest.append(inByteOrder(files))
        return digest.finish()
    }

    /// `files` in manifest (byte) order, the order the digest hashes them in: how a version sent in
    /// parts must be cut. Returned as given when already in order.
    public static func inByteOrder(_ files: [ManifestEntry]) -> [ManifestEntry] {
        let inOrder = { (a: ManifestEntry, b: ManifestEntry) in ByteOrder.precedes(a.path, b.path) }
        return zip(files, files.dropFirst()).allSatisfy { !inOrder($1, $0) } ? files : files.sorted(by: inOrder)
    }

    private mutating func append(_ sorted: [ManifestEntry]) {
        // The lines are hashed 64 KiB at a time: one update per line of a 20,000-file manifest cost more
        // than the hashing itself.
        for file in sorted {
            lines.append(contentsOf: file.path.utf8)
            lines.append(UInt8(ascii: ":"))
            lines.append(contentsOf: file.digest.utf8)
            if let reference = file.reference {
                lines.append(UInt8(ascii: " "))
                lines.append(contentsOf: reference.uri.utf8)
                if let version = reference.objectVersion {
                    lines.append(UInt8(ascii: " "))
                    lines.append(contentsOf: version.utf8)
                }
            }
            lines.append(UInt8(ascii: "\n"))
            if lines.count >= 1 << 16 {
                lines.withUnsafeBytes { hash.update(bufferPointer: $0) }
                lines.removeAll(keepingCapacity: true)
            }
        }
    }
}
