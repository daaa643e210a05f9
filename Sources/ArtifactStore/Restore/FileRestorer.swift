import Dispatch
import Foundation
import Synchronization

/// Writes a version's stored files under a directory through the download cache, every byte checked:
/// the one restore both the embedded store's `download` and a team server's client use.
///
/// Files already under the root with the right content are left alone; files the cache holds are
/// taken from it; the rest are read from a `ContentChunkSource` into the cache (and the root) in one
/// pass. A damaged file does not stop the others: everything the damage does not touch is restored.
public struct FileRestorer: Sendable {
    /// What a restore did.
    public struct Counts: Sendable, Equatable {
        /// Files already there with the right content.
        public var unchanged = 0
        /// Files taken from the cache.
        public var fromCache = 0
        /// Files read from the chunk source.
        public var fromSource = 0
    }

    /// The directory written (standardized, absolute).
    public var root: String
    /// The version's qualified name, for damage reports.
    public var versionName: String
    /// Who the cache counts the files for.
    public var owner: CacheOwner
    /// The download cache; nil writes straight to the root.
    public var cache: FileCache?
    /// How files are placed.
    public var mode: LinkMode
    /// Files restored at once.
    public var workers: Int

    /// Creates a restorer.
    public init(root: URL, versionName: String, owner: CacheOwner, cache: FileCache?, mode: LinkMode, workers: Int) {
        self.root = root.standardizedFileURL.path
        self.versionName = versionName
        self.owner = owner
        self.cache = cache
        self.mode = mode
        self.workers = max(1, workers)
    }

    /// Checks every path and makes the root and the directories `paths` need, refusing any that leads
    /// outside the root or through a symbolic link, before anything is written.
    /// - Throws: `StoreError.unsafePath`, `.io`.
    public func prepareDirectories(for paths: [String]) throws {
        for path in paths { try ManifestPath.validate(path) }
        try makeDirectory(root)
        let directories = Set(paths.compactMap { path -> String? in
            guard let slash = path.lastIndex(of: "/") else { return nil }
            return String(path[..<slash])
        })
        for directory in directories.sorted() { try SafeDirectory.ensure(directory, under: root) }
    }

    /// Restores `files` (stored entries; their directories prepared), each worker reading through
    /// its own source from `makeSource`.
    /// - Throws: `StoreError.damagedFile` naming every damaged file, or the first other error.
    public func restore(
        _ files: [ManifestEntry], makeSource: @escaping @Sendable () -> any ContentChunkSource,
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) throws -> Counts {
        let pin = try cache?.pin(Array(Set(files.map(\.digest))))
        defer { try? pin?.release() }
        let totalBytes = files.reduce(Int64(0)) { $0 + $1.size }
        let counts = Mutex((counts: Counts(), bytes: Int64(0), done: 0))
        let failure = Mutex<Error?>(nil)
        let damaged = Mutex<[StoreError]>([])
        let next = Atomic<Int>(0)
        let workers = max(1, min(workers, files.count))
        // More workers than cores only when the source waits on the network.
        let onThreads = workers > ProcessInfo.processInfo.activeProcessorCount
        let work = { @Sendable (_: Int) in
            let source = makeSource()
            while failure.withLock({ $0 == nil }) {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < files.count else { break }
                let file = files[index]
                do {
                    let outcome = try restore(file, source: source)
                    let snapshot = counts.withLock { state in
                        switch outcome {
                        case .unchanged: state.counts.unchanged += 1
                        case .cache: state.counts.fromCache += 1
                        case .source: state.counts.fromSource += 1
                        }
                        state.bytes += file.size
                        state.done += 1
                        return state
                    }
                    progress?(TransferProgress(
                        filesDone: snapshot.done, filesTotal: files.count, bytesDone: snapshot.bytes,
                        bytesTotal: totalBytes))
                } catch let error as StoreError where error.isDamagedFile {
                    damaged.withLock { $0.append(error) }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        let run = {
            if onThreads { WorkerThreads.run(workers, work) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        }
        // The files are pinned, so their uses can go to the cache's index once, at the end.
        if let cache { try cache.deferringUses(preloading: pin, run) } else { run() }
        if let error = failure.withLock({ $0 }) { throw error }
        if let error = Store.summarize(damaged.withLock { $0 }) { throw error }
        return counts.withLock { $0.counts }
    }

    private enum Outcome { case unchanged, cache, source }

    private func restore(_ file: ManifestEntry, source: any ContentChunkSource) throws -> Outcome {
        let destination = root + "/" + file.path
        if try SafeDirectory.holdsContent(destination, digest: file.digest, size: file.size, mode: mode) {
            return .unchanged
        }
        do {
            guard let cache else {
                try writeDirectly(file, source: source, to: destination)
                return .source
            }
            if try cache.copy(digest: file.digest, size: file.size, toPath: destination, mode: mode, owner: owner) {
                return .cache
            }
            // A copy is written in the same pass that fills the cache; a link is made once it is filled.
            try cache.insert(
                digest: file.digest, size: file.size, owner: owner, copyToPath: mode == .copy ? destination : nil
            ) { sink in
                try source.forEachChunk(ofContent: file.digest) { try sink.write($0) }
            }
            if mode != .copy,
               try !cache.copy(digest: file.digest, size: file.size, toPath: destination, mode: mode, owner: owner)
            {
                throw StoreError.corruptData(what: "cache file", detail: "changed while it was being linked")
            }
            return .source
        } catch let error as StoreError where error.isCorruptData {
            throw StoreError.damagedFile(version: versionName, path: file.path, detail: "\(error)")
        }
    }

    /// Rebuilds a file and gives it its name once its digest checks out.
    private func writeDirectly(_ file: ManifestEntry, source: any ContentChunkSource, to destination: String) throws {
        let output = try PendingFile.create(toBecome: destination, mode: 0o666)
        defer { output.close() }
        // The cache's writer does what is needed here too: write, count and hash in one pass.
        let writer = CacheWriter(fd: output.fd, path: destination)
        try source.forEachChunk(ofContent: file.digest) { try writer.write($0) }
        guard writer.finishDigest() == file.digest, writer.bytesWritten == file.size else {
            throw StoreError.corruptData(what: "file \(file.path)", detail: "rebuilt content does not match its digest")
        }
        try output.place(at: destination)
    }
}
