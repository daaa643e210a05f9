import Crypto
import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Reads a draft's files, cuts them into chunks, stores the chunks the store lacks in new packs, and
/// returns what the catalog needs to commit the version.
///
/// Files are processed on all cores; each worker owns its codec, buffers and pack writer (so no
/// worker waits while another copies a buffer into a pack), and the only shared state is the set
/// of chunks claimed in this run, so memory stays flat.
struct Ingester {
    let catalog: any Catalog
    let objects: any ObjectStore
    let chunking: ChunkingParameters
    /// Chunks that must be written even if the catalog has them (a retry after a concurrent delete).
    var forceWrite: Set<String> = []
    var progress: (@Sendable (TransferProgress) -> Void)?
    /// Digests of files read before, by path and stat signature; nil to read every file.
    var statCache: StatCache?

    /// The result of reading every file.
    struct Result: Sendable {
        var files: [ManifestEntry]
        var contents: [ContentRecord]
        var newChunks: [StoredChunk]
        var packs: [ObjectInfo]
        /// Files read in this run (by absolute path), to remember once the version is committed.
        var readFiles: [(path: String, entry: StatCache.Entry)]
        /// How many files were read (the rest were known from the stat cache).
        var filesRead: Int
    }

    /// One file's outcome, kept per file until every file is done: the path is the source's, and the
    /// digest string is shared by the manifest entry, the content record and the stat cache's entry
    /// built from it (100,000 files held three copies of this record's fields at the end of a put).
    private struct FileResult {
        var digest: String
        var size: Int64
        /// The content's chunk digests; empty when the stat cache vouched for the file.
        var chunks: [String]
        /// The signature the file was read with and when it was last confirmed; nil when it was not read.
        var read: (signature: FileSignature, checkedNs: Int64)?
    }

    private final class Shared: Sendable {
        let catalog: any Catalog
        /// Digest prefixes of the chunks the store held when the first chunk was cut (none is when
        /// every file is known from the stat cache). A 64-bit prefix makes a false match vanishingly
        /// rare, and the commit re-checks every chunk it relies on by full digest.
        private let knownPrefixes = Mutex<Set<UInt64>?>(nil)
        let claimed = Mutex<Set<String>>([])
        let written = Mutex<[StoredChunk]>([])
        let nextFile = Atomic<Int>(0)
        let failure = Mutex<Error?>(nil)
        /// Set with `failure`: read before each file without taking its lock.
        let failed = Atomic<Bool>(false)
        let filesDone = Atomic<Int>(0)
        let bytesDone = Atomic<Int64>(0)

        init(catalog: any Catalog) { self.catalog = catalog }

        /// Whether the store held a chunk with this digest prefix when the run began to cut chunks.
        func isKnown(_ prefix: UInt64) throws -> Bool {
            try knownPrefixes.withLock { known in
                if known == nil { known = try catalog.chunkDigestPrefixes() }
                return known!.contains(prefix)
            }
        }
    }

    func ingest(_ sources: [ArtifactDraft.Source]) throws -> Result {
        let shared = Shared(catalog: catalog)
        let signatures = try SourceSignatures.of(sources)
        let totalBytes = signatures.reduce(Int64(0)) { $0 + $1.size }
        let remembered = statCache?.entries(for: sources.map { $0.data == nil ? $0.filePath : nil })
            ?? [StatCache.Entry?](repeating: nil, count: sources.count)
        // Each slot is written by the one worker that took its index, or here for a file the stat cache
        // vouches for: those are settled before any worker starts, so that a put that finds nothing
        // changed (or a few files changed) starts no threads it has no reading for.
        var slots = [FileResult?](repeating: nil, count: sources.count)
        var knownBytes: Int64 = 0
        var toRead: [Int] = []
        for index in sources.indices {
            let source = sources[index]
            if source.data == nil, let known = remembered[index],
               known.signature == signatures[index], forceWrite.isEmpty || !forceWrite.contains(known.digest)
            {
                slots[index] = FileResult(digest: known.digest, size: known.signature.size, chunks: [], read: nil)
                knownBytes += known.signature.size
            } else {
                toRead.append(index)
            }
        }
        if let progress, toRead.count < sources.count {
            _ = shared.filesDone.wrappingAdd(sources.count - toRead.count, ordering: .relaxed)
            _ = shared.bytesDone.wrappingAdd(knownBytes, ordering: .relaxed)
            progress(TransferProgress(
                filesDone: sources.count - toRead.count, filesTotal: sources.count, bytesDone: knownBytes,
                bytesTotal: totalBytes))
        }
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, toRead.count)
        let writers = (0..<workers).map { _ in PackWriter(objectStore: objects) }
        // Largest files first: a big file taken last would leave one core working alone at the end.
        let order = toRead.sorted { signatures[$0].size > signatures[$1].size }
        if workers > 0 { slots.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let results = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let codec = ZstdCodec()
                let writer = writers[worker]
                while !shared.failed.load(ordering: .relaxed) {
                    let next = shared.nextFile.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard next < order.count else { break }
                    let index = order[next]
                    do {
                        let result = try ingestFile(
                            sources[index], signature: signatures[index], writer: writer, codec: codec, shared: shared)
                        results[index] = result
                        guard let progress else { continue }
                        let done = shared.filesDone.wrappingAdd(1, ordering: .relaxed).newValue
                        let bytes = shared.bytesDone.wrappingAdd(result.size, ordering: .relaxed).newValue
                        progress(TransferProgress(
                            filesDone: done, filesTotal: sources.count, bytesDone: bytes, bytesTotal: totalBytes))
                    } catch {
                        shared.failure.withLock { if $0 == nil { $0 = error } }
                        shared.failed.store(true, ordering: .relaxed)
                    }
                }
            }
        } }
        if let error = shared.failure.withLock({ $0 }) {
            for writer in writers { writer.discard() }
            throw error
        }
        var packs: [ObjectInfo] = []
        do {
            for writer in writers { packs += try writer.finish() }
        } catch {
            for writer in writers { writer.discard() }
            for pack in packs { try? objects.delete(key: pack.key) }
            throw error
        }
        return Self.assemble(slots: &slots, sources: sources, newChunks: shared.written.withLock { $0 }, packs: packs)
    }

    /// Turns the per-file results into what the commit needs, emptying `slots` as it goes: one pass and
    /// no second copy of the per-file records, which are the largest thing a put of many files holds.
    private static func assemble(
        slots: inout [FileResult?], sources: [ArtifactDraft.Source], newChunks: [StoredChunk], packs: [ObjectInfo]
    ) -> Result {
        var files: [ManifestEntry] = []
        files.reserveCapacity(slots.count)
        // Room for a content per file up front: grown by doubling, the table rehashed every digest
        // so far at each step (about one extra hash of a 64-character digest per file).
        var contents: [ContentRecord] = []
        contents.reserveCapacity(slots.count)
        var contentIndex: [String: Int] = [:]
        contentIndex.reserveCapacity(slots.count)
        // As many as files at most: grown by doubling, the list of a first put of 100,000 files held
        // room for 131,072 (and both buffers at the step).
        var readFiles: [(path: String, entry: StatCache.Entry)] = []
        readFiles.reserveCapacity(slots.count)
        for index in slots.indices {
            // Moved out of its slot rather than copied: no retain of its strings only to release them.
            let result = slots[index].take()!
            files.append(ManifestEntry(path: sources[index].path, digest: result.digest, size: result.size))
            let content = ContentRecord(digest: result.digest, size: result.size, chunks: result.chunks)
            // One hash of the digest: a new one is given the next place, a known one yields its own.
            let place = Self.value(&contentIndex[result.digest, default: contents.count])
            if place == contents.count {
                contents.append(content)
            } else if contents[place].chunks.isEmpty {
                // A content read in full (with its chunk list) wins over one taken from the stat cache.
                contents[place] = content
            }
            if let read = result.read {
                readFiles.append((sources[index].filePath, StatCache.Entry(
                    signature: read.signature, digest: result.digest, checkedNs: read.checkedNs)))
            }
        }
        slots = []
        return Result(
            files: files, contents: contents, newChunks: newChunks, packs: packs, readFiles: readFiles,
            filesRead: readFiles.count)
    }

    /// The value a mutable access yields: read through a dictionary's `subscript(_:default:)`, it is
    /// the key's value, or the default, now stored, when the key was absent, with the key hashed once.
    private static func value(_ value: inout Int) -> Int { value }

    private func ingestFile(
        _ source: ArtifactDraft.Source, signature: FileSignature, writer: PackWriter, codec: ZstdCodec, shared: Shared
    ) throws -> FileResult {
        // One hasher for the chunks and the whole file: a one-chunk file is hashed once.
        var hasher = ChunkedContentHasher()
        var checkedNs: Int64 = 0
        var chunkDigests: [String] = []
        var size: Int64 = 0
        let path = source.filePath
        let consume = { (chunk: UnsafeRawBufferPointer) throws in
            let digestBytes = hasher.add(chunk)
            let digest = Hex.encode(digestBytes)
            size += Int64(chunk.count)
            chunkDigests.append(digest)
            try store(chunk: chunk, digest: digest, digestBytes: digestBytes, writer: writer, codec: codec, shared: shared)
        }
        if let data = source.data {
            try data.withUnsafeBytes { try FastCDC(parameters: chunking).forEachChunk(of: $0, consume) }
        } else {
            let read = try SourceSignatures.reading(fileAt: path) { descriptor in
                try FileChunker(parameters: chunking).forEachChunk(ofFileDescriptor: descriptor, path: path, consume)
            }
            checkedNs = read.checkedNs
            try SourceSignatures.checkUnchanged(read.signature, bytes: size, since: signature, path: path)
        }
        let fileDigest = chunkDigests.count == 1 ? chunkDigests[0] : Hex.encode(hasher.contentDigest())
        return FileResult(
            digest: fileDigest, size: size, chunks: chunkDigests,
            read: source.data == nil ? (signature, checkedNs) : nil)
    }

    private func store(
        chunk: UnsafeRawBufferPointer, digest: String, digestBytes: [UInt8], writer: PackWriter, codec: ZstdCodec,
        shared: Shared
    ) throws {
        guard shared.claimed.withLock({ $0.insert(digest).inserted }) else { return }
        let prefix = digestBytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        if !forceWrite.contains(digest), try shared.isKnown(prefix) { return }
        let location = try codec.withCompressed(chunk) { compressed in
            if let compressed {
                try writer.append(digest: digestBytes, rawLength: chunk.count, payload: compressed, compression: .zstd)
            } else {
                try writer.append(digest: digestBytes, rawLength: chunk.count, payload: chunk, compression: .none)
            }
        }
        shared.written.withLock { $0.append(StoredChunk(digest: digest, location: location)) }
    }
}

/// How far a transfer has come, for progress displays.
public struct TransferProgress: Sendable {
    /// Files finished.
    public var filesDone: Int
    /// Files in all.
    public var filesTotal: Int
    /// Bytes finished.
    public var bytesDone: Int64
    /// Bytes in all.
    public var bytesTotal: Int64

    /// Creates a report of progress.
    public init(filesDone: Int, filesTotal: Int, bytesDone: Int64, bytesTotal: Int64) {
        self.filesDone = filesDone
        self.filesTotal = filesTotal
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
    }
}

/// Lowercase hexadecimal text of bytes.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lowercase hex of `bytes`.
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes the `byteCount` bytes that `text`, exactly `2 * byteCount` lowercase hex digits, spells to
    /// `out`; false when it is anything else (`out` may then hold some of them).
    static func decodeLowercase(_ text: String, byteCount: Int, into out: UnsafeMutableRawPointer) -> Bool {
        // A native string's bytes are borrowed in place, and no byte is appended one at a time: a pin
        // of 20,000 files, and the uses written at the end of its get, each convert every digest.
        if let done = text.utf8.withContiguousStorageIfAvailable({ decodeLowercase($0, byteCount: byteCount, into: out) }) {
            return done
        }
        var text = text
        return text.withUTF8 { decodeLowercase($0, byteCount: byteCount, into: out) }
    }

    private static func decodeLowercase(
        _ utf8: UnsafeBufferPointer<UInt8>, byteCount: Int, into out: UnsafeMutableRawPointer
    ) -> Bool {
        guard utf8.count == 2 * byteCount else { return false }
        var invalid: UInt8 = 0
        for index in 0..<byteCount {
            let high = nibble(utf8[2 * index]), low = nibble(utf8[2 * index + 1])
            invalid |= (high | low) & 0xF0
            out.storeBytes(of: high << 4 | low & 0x0F, toByteOffset: index, as: UInt8.self)
        }
        return invalid == 0
    }

    /// The value of a lowercase hex digit, or 0xFF for any other byte.
    @inline(__always)
    private static func nibble(_ c: UInt8) -> UInt8 {
        let digit = c &- 48
        if digit < 10 { return digit }
        let letter = c &- 97
        return letter < 6 ? letter + 10 : 0xFF
    }

    private static func lowercaseValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        default: return nil
        }
    }

    /// The bytes of lowercase or uppercase hex text, or nil when it is not hex.
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func value(_ c: UInt8) -> UInt8? {
        if let value = lowercaseValue(c) { return value }
        return (65...70).contains(c) ? c - 55 : nil
    }
}
