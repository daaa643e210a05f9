import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Cuts a draft's files into chunks as `put` does, storing nothing: the first step of a put to a
/// team server, which then sends only the chunks the server lacks.
///
/// Files are cut on all cores. With a stat cache, a file whose size, mtime, inode and ctime match
/// what was remembered is not read again (as the embedded store's put skips it): its digest is known,
/// and its chunk list comes from the chunk lists remembered beside the stat cache; when that has none,
/// the caller finds it elsewhere (the server's newest manifest) or cuts the file after all with
/// `CutContent.cut(fileAt:)`.
public struct DraftCutter: Sendable {
    /// One file of the draft, cut or recognised.
    public struct CutFile: Sendable {
        /// The draft's entry.
        public var source: ArtifactDraft.Source
        /// Its path, digest and size.
        public var entry: ManifestEntry
        /// Its chunks; nil when the stat cache recognised the file, it was not read, and no chunk list
        /// was remembered for its content.
        public var content: CutContent?
        /// What the stat cache learns from this file once its version is committed; nil when it was not read.
        var remembered: StatCache.Entry?
    }

    private let statCache: StatCache?
    private let chunkLists: ChunkListCache?

    /// A cutter remembering what it reads in the stat cache at `statCachePath` and the chunk lists at
    /// `chunkListPath` (nil: read every file).
    /// - Throws: `StoreError.catalog` when either cannot be opened.
    public init(statCachePath: String?, chunkListPath: String? = nil) throws {
        statCache = try statCachePath.map { try StatCache(path: $0) }
        chunkLists = try chunkListPath.map { try ChunkListCache(path: $0) }
    }

    /// Cuts (or recognises) every source, in the order given.
    /// - Throws: `StoreError.io` when a file cannot be read or changes while it is read.
    public func cut(
        _ sources: [ArtifactDraft.Source], progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) throws -> [CutFile] {
        let remembered = statCache?.entries(for: sources.map { $0.data == nil ? $0.filePath : nil })
            ?? [StatCache.Entry?](repeating: nil, count: sources.count)
        var slots = [CutFile?](repeating: nil, count: sources.count)
        let next = Atomic<Int>(0)
        let failure = Mutex<Error?>(nil)
        let done = Mutex((files: 0, bytes: Int64(0)))
        let totalBytes = sources.reduce(Int64(0)) { total, source in
            total + (source.data.map { Int64($0.count) } ?? (try? Self.signature(of: source.filePath).size) ?? 0)
        }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, sources.count))
        slots.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let results = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while failure.withLock({ $0 == nil }) {
                    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < sources.count else { break }
                    do {
                        let file = try cut(sources[index], remembered: remembered[index])
                        results[index] = file
                        let snapshot = done.withLock { state in
                            state.files += 1
                            state.bytes += file.entry.size
                            return state
                        }
                        progress?(TransferProgress(
                            filesDone: snapshot.files, filesTotal: sources.count, bytesDone: snapshot.bytes,
                            bytesTotal: totalBytes))
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                    }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        var files = slots.map { $0! }
        let recognised = files.indices.filter { files[$0].content == nil }
        if let chunkLists, !recognised.isEmpty {
            let known = chunkLists.contents(recognised.map { files[$0].entry.digest })
            for index in recognised { files[index].content = known[files[index].entry.digest] }
        }
        return files
    }

    /// Remembers the files `cut` read, once the version holding them is committed (a failed put
    /// must not teach the cache digests no server holds).
    public func remember(_ files: [CutFile]) {
        statCache?.record(files.compactMap { file in file.remembered.map { (file.source.filePath, $0) } })
        chunkLists?.record(files.filter { $0.remembered != nil }.compactMap(\.content))
    }

    private func cut(_ source: ArtifactDraft.Source, remembered: StatCache.Entry?) throws -> CutFile {
        if let data = source.data {
            let content = CutContent.cut(data: data)
            return CutFile(
                source: source, entry: ManifestEntry(path: source.path, digest: content.record.digest, size: content.record.size),
                content: content)
        }
        let before = try Self.signature(of: source.filePath)
        if let remembered, remembered.signature == before {
            return CutFile(
                source: source, entry: ManifestEntry(path: source.path, digest: remembered.digest, size: before.size),
                content: nil)
        }
        let content = try CutContent.cut(fileAt: source.filePath)
        // Read before the stat, so that the stat happened no earlier than this.
        let checkedNs = wallClockNanoseconds()
        let after = try Self.signature(of: source.filePath)
        guard after == before, content.record.size == before.size else {
            throw StoreError.io(operation: "read", path: source.filePath, reason: "the file changed while it was being read")
        }
        return CutFile(
            source: source, entry: ManifestEntry(path: source.path, digest: content.record.digest, size: before.size),
            content: content,
            remembered: StatCache.Entry(signature: before, digest: content.record.digest, checkedNs: checkedNs))
    }

    /// The stat signature of a file to add, following symbolic links (the draft checked where they lead).
    private static func signature(of path: String) throws -> FileSignature {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StoreError.io(operation: "read", path: path, reason: FileSystem.lastError())
        }
        return FileSignature(info)
    }
}
