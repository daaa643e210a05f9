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
/// and its chunk list, when the caller needs it, comes from the chunk lists remembered beside the stat
/// cache (`recallChunkLists(of:)`); when that has none, the caller finds it elsewhere (the server's
/// newest manifest) or cuts the file after all with `CutContent.cut(fileAt:)`.
public struct DraftCutter: Sendable {
    /// One file of the draft, cut or recognised.
    public struct CutFile: Sendable {
        /// The draft's entry.
        public var source: ArtifactDraft.Source
        /// Its path, digest and size.
        public var entry: ManifestEntry
        /// Its chunks; nil when the stat cache recognised the file and it was not read (until
        /// `recallChunkLists(of:)` finds a remembered chunk list for its content).
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

    /// Cuts (or recognises) every source, in the order given. A recognised file comes back with its
    /// digest only (`content` nil): `recallChunkLists(of:)` finds its chunks when they are needed, which
    /// a put of unchanged files, compared by manifest digest alone, never does.
    /// - Parameters:
    ///   - progress: called as files are read.
    ///   - sinks: makes, for each cutting thread, the sink shown the chunks that thread reads (never
    ///     called when every file is recognised).
    /// - Throws: `StoreError.io` when a file cannot be read or changes while it is read; what a sink throws.
    public func cut(
        _ sources: [ArtifactDraft.Source], progress: (@Sendable (TransferProgress) -> Void)? = nil,
        sinks: (@Sendable () -> any CutChunkSink)? = nil
    ) throws -> [CutFile] {
        let signatures = try SourceSignatures.of(sources)
        let totalBytes = signatures.reduce(Int64(0)) { $0 + $1.size }
        let remembered = statCache?.entries(for: sources.map { $0.data == nil ? $0.filePath : nil })
            ?? [StatCache.Entry?](repeating: nil, count: sources.count)
        // Files the stat cache vouches for are settled here, before any worker starts, as the embedded
        // store's put settles them: a put that finds nothing changed starts no threads.
        var slots = [CutFile?](repeating: nil, count: sources.count)
        var toCut: [Int] = []
        var knownBytes: Int64 = 0
        for index in sources.indices {
            let source = sources[index]
            if source.data == nil, let known = remembered[index], known.signature == signatures[index] {
                slots[index] = CutFile(
                    source: source, entry: ManifestEntry(path: source.path, digest: known.digest, size: known.signature.size),
                    content: nil)
                knownBytes += known.signature.size
            } else {
                toCut.append(index)
            }
        }
        let done = Mutex((files: sources.count - toCut.count, bytes: knownBytes))
        if let progress, toCut.count < sources.count {
            progress(TransferProgress(
                filesDone: sources.count - toCut.count, filesTotal: sources.count, bytesDone: knownBytes,
                bytesTotal: totalBytes))
        }
        // Largest files first: a big file taken last would leave one core working alone at the end.
        let order = toCut.sorted { signatures[$0].size > signatures[$1].size }
        let next = Atomic<Int>(0)
        let failure = Mutex<Error?>(nil)
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, order.count)
        if workers > 0 { slots.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let results = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                let sink = sinks?()
                while failure.withLock({ $0 == nil }) {
                    let position = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard position < order.count else { break }
                    let index = order[position]
                    do {
                        let file = try cut(sources[index], signature: signatures[index], sink: sink)
                        try sink?.fileRead(file)
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
                do {
                    try sink?.finish()
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        } }
        if let error = failure.withLock({ $0 }) { throw error }
        return slots.map { $0! }
    }

    /// Gives the recognised files among `files` (those `cut` returned without content) the chunk lists
    /// remembered for their contents, where there are any.
    public func recallChunkLists(of files: inout [CutFile]) {
        let recognised = files.indices.filter { files[$0].content == nil }
        guard let chunkLists, !recognised.isEmpty else { return }
        let known = chunkLists.contents(recognised.map { files[$0].entry.digest })
        for index in recognised { files[index].content = known[files[index].entry.digest] }
    }

    /// Remembers the files `cut` read, once the version holding them is committed (a failed put
    /// must not teach the cache digests no server holds).
    public func remember(_ files: [CutFile]) {
        statCache?.record(files.compactMap { file in file.remembered.map { (file.source.filePath, $0) } })
        // One pass: a filtered copy of the files first was 20 MiB per 100,000 at the end of a remote put.
        chunkLists?.record(files.compactMap { $0.remembered == nil ? nil : $0.content })
    }

    /// Cuts one file that `signature` was taken of before, checking it did not change meanwhile, and
    /// shows its chunks to `sink`.
    private func cut(_ source: ArtifactDraft.Source, signature: FileSignature, sink: (any CutChunkSink)?) throws -> CutFile {
        if let data = source.data {
            let content = try sink.map { try CutContent.cut(data: data, sink: $0) } ?? CutContent.cut(data: data)
            return CutFile(
                source: source, entry: ManifestEntry(path: source.path, digest: content.record.digest, size: content.record.size),
                content: content)
        }
        let (content, after, checkedNs) = try SourceSignatures.reading(fileAt: source.filePath) { descriptor in
            try CutContent.cut(fileDescriptor: descriptor, path: source.filePath, sink: sink)
        }
        try SourceSignatures.checkUnchanged(after, bytes: content.record.size, since: signature, path: source.filePath)
        return CutFile(
            source: source, entry: ManifestEntry(path: source.path, digest: content.record.digest, size: signature.size),
            content: content,
            remembered: StatCache.Entry(signature: signature, digest: content.record.digest, checkedNs: checkedNs))
    }
}
