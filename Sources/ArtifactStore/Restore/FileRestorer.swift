import Dispatch
import Foundation
import Synchronization

/// Writes a version's stored files under a directory through the download cache, every byte checked:
/// the one restore both the embedded store's `download` and a team server's client use.
///
/// Files already under the root with the right content are left alone; files the cache holds are
/// taken from it; the rest are read from a `ContentChunkSource` into the cache (and the root) in one
/// pass. A damaged file does not stop the others: everything the damage does not touch is restored.
///
/// Each byte is hashed once: the whole file's SHA-256 is the proof (nothing is placed before it
/// matches), so chunks are read unchecked and checked one by one only after a mismatch, to name the
/// damaged chunk.
public struct FileRestorer: Sendable {
    /// What a restore did.
    public struct Counts: Sendable, Equatable {
        /// Files already there with the right content.
        public var unchanged = 0
        /// Files taken from the cache.
        public var fromCache = 0
        /// Files read from the chunk source.
        public var fromSource = 0
        /// Files read from the chunk source that were also added to the cache (see ``CachePolicy``).
        public var addedToCache = 0

        fileprivate mutating func note(_ outcome: Outcome) {
            switch outcome {
            case .unchanged: unchanged += 1
            case .cache: fromCache += 1
            case .source: fromSource += 1
            case .sourceAndCache:
                fromSource += 1
                addedToCache += 1
            }
        }

        fileprivate mutating func add(_ other: Counts) {
            unchanged += other.unchanged
            fromCache += other.fromCache
            fromSource += other.fromSource
            addedToCache += other.addedToCache
        }
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
    /// Whether files read from the source are added to the cache.
    public var cachePolicy: CachePolicy
    /// Files restored at once.
    public var workers: Int
    /// Whether workers take runs of neighbouring files (see `restore`); false hands out one file at a
    /// time in the manifest's order, for a source that reads ahead in that order (a team server's
    /// fetcher: with eight workers in eight runs far apart, its read-ahead batches touched eight
    /// regions of the packs at once, and the server read each pack several times).
    public var neighbourRuns = true

    /// Whether the root was missing or empty before the restore: then no file can be there already.
    private var fresh = false
    /// Whether reflink clones work between the cache and the root, probed before the first file
    /// the cache lacks.
    private let reflinks = Reflink.Support()

    /// Creates a restorer; with `cachePolicy` `.never` the cache is not used at all.
    /// - Throws: `StoreError.invalidArgument` for a link mode without a cache (or with `.never`): a
    ///   link points at a cache file.
    public init(
        root: URL, versionName: String, owner: CacheOwner, cache: FileCache?, mode: LinkMode,
        cachePolicy: CachePolicy = .always, workers: Int
    ) throws {
        let cache = cachePolicy == .never ? nil : cache
        if mode != .copy && cache == nil {
            throw StoreError.invalidArgument(
                "a \(mode.rawValue) download links to cache files, so it needs the cache (cache policy "
                    + "\(cachePolicy.rawValue)\(cachePolicy == .never ? "" : ", no cache directory"))")
        }
        self.root = root.standardizedFileURL.path
        self.versionName = versionName
        self.owner = owner
        self.cache = cache
        self.mode = mode
        self.cachePolicy = cachePolicy
        self.workers = max(1, workers)
    }

    /// Checks every path and makes the root and the directories `paths` need, refusing any that leads
    /// outside the root or through a symbolic link, before anything is written.
    /// - Throws: `StoreError.unsafePath`, `.io`.
    public mutating func prepareDirectories(for paths: [String]) throws {
        for path in paths { try ManifestPath.validate(path) }
        // Into a new or empty folder (the usual download) no file can be there already: skip looking.
        fresh = (try? FileManager.default.contentsOfDirectory(atPath: root).isEmpty) ?? true
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
        let pin = try cache?.pin(files.map(\.digest))
        defer { try? pin?.release() }
        let totalBytes = files.reduce(Int64(0)) { $0 + $1.size }
        let counts = Mutex((counts: Counts(), bytes: Int64(0), done: 0))
        let failure = Mutex<Error?>(nil)
        // Read before each file, written once: no lock taken per file just to see that none failed.
        let failed = Atomic<Bool>(false)
        let damaged = Mutex<[StoreError]>([])
        let workers = max(1, min(workers, files.count))
        // Workers take runs of neighbouring files, shrinking as the end nears (guided scheduling):
        // the files of a directory are neighbours in a manifest, and two threads making entries in one
        // directory queue on its lock, so one file at a time each made a hard-link get no faster on
        // two cores than on one. The short runs at the end keep both busy until the last file.
        let next = Mutex(0)
        let neighbourRuns = neighbourRuns
        let claim = { @Sendable () -> Range<Int> in
            next.withLock { start in
                let count = neighbourRuns ? max(1, (files.count - start) / (workers * 4)) : 1
                let run = start..<min(files.count, start + count)
                start = run.upperBound
                return run
            }
        }
        // More workers than cores only when the source waits on the network.
        let onThreads = workers > ProcessInfo.processInfo.activeProcessorCount
        // Large files' bytes are hashed on a second thread while they are written whenever a core has
        // no worker: a version of one file, or the last large files (see HashingThread).
        let hashesAlongside = files.contains { $0.size >= Int64(HashingThread.minimumBytes) }
        let spare = HashingThread.SpareCores(workers: workers)
        let work = { @Sendable (_: Int) in
            let source = makeSource()
            let hashing = hashesAlongside ? HashingThread(spare: spare) : nil
            defer {
                hashing?.stop()
                spare.workerFinished()
            }
            // Counted per worker and added up at the end; the shared tally is kept per file only for
            // a progress display.
            var local = Counts()
            defer { counts.withLock { $0.counts.add(local) } }
            var run = claim()
            while !run.isEmpty, !failed.load(ordering: .relaxed) {
                let file = files[run.removeFirst()]
                if run.isEmpty { run = claim() }
                do {
                    local.note(try restore(file, source: source, hashing: hashing))
                    guard let progress else { continue }
                    let snapshot = counts.withLock { state in
                        state.bytes += file.size
                        state.done += 1
                        return state
                    }
                    progress(TransferProgress(
                        filesDone: snapshot.done, filesTotal: files.count, bytesDone: snapshot.bytes,
                        bytesTotal: totalBytes))
                } catch let error as StoreError where error.isDamagedFile {
                    damaged.withLock { $0.append(error) }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                    failed.store(true, ordering: .relaxed)
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

    fileprivate enum Outcome { case unchanged, cache, source, sourceAndCache }

    private func restore(
        _ file: ManifestEntry, source: any ContentChunkSource, hashing: HashingThread?
    ) throws -> Outcome {
        let destination = root + "/" + file.path
        if !fresh, try SafeDirectory.holdsContent(destination, digest: file.digest, size: file.size, mode: mode) {
            return .unchanged
        }
        do {
            guard let cache else {
                let output = try build(file, source: source, to: destination, hashing: hashing)
                defer { output.close() }
                try output.place(at: destination)
                return .source
            }
            if try cache.copy(digest: file.digest, size: file.size, toPath: destination, mode: mode, owner: owner) {
                return .cache
            }
            let copyIntoCache = cachePolicy == .always || file.size <= CachePolicy.autoCopyLimit
            if mode == .copy, try !copyIntoCache || clones(into: cache) {
                return try buildThenClone(
                    file, source: source, to: destination, cache: cache, copyIfNoClone: copyIntoCache, hashing: hashing)
            }
            // No clone: a copy that fills the cache is written in the same pass as the cache file (each
            // byte read and hashed once, written twice); a link is made once the cache file is there.
            try cache.insert(
                digest: file.digest, size: file.size, owner: owner, copyToPath: mode == .copy ? destination : nil
            ) { sink in
                sink.hashingThread = hashing
                try source.forEachChunk(ofContent: file.digest, checkingEach: false) { try sink.write($0) }
            }
            if mode != .copy,
               try !cache.copy(digest: file.digest, size: file.size, toPath: destination, mode: mode, owner: owner)
            {
                throw StoreError.corruptData(what: "cache file", detail: "changed while it was being linked")
            }
            return .sourceAndCache
        } catch let error as StoreError where error.isCorruptData {
            let cause = damagedChunk(of: file, source: source) ?? error
            throw StoreError.damagedFile(version: versionName, path: file.path, detail: "\(cause)")
        }
    }

    /// Reads a damaged file's chunks again, each checked, to name the one at fault: chunks are read
    /// unchecked while the whole file's digest is the proof, so a mismatch alone does not say which
    /// chunk it was. Nil when every chunk checks out (the damage is elsewhere, such as a wrong chunk
    /// list) or when reading fails otherwise.
    private func damagedChunk(of file: ManifestEntry, source: any ContentChunkSource) -> StoreError? {
        do {
            try source.forEachChunk(ofContent: file.digest, checkingEach: true) { _ in }
            return nil
        } catch let error as StoreError where error.isCorruptData {
            return error
        } catch {
            return nil
        }
    }

    /// Whether files under the root can be cloned into `cache`: probed by the first worker to ask.
    private func clones(into cache: FileCache) throws -> Bool {
        try reflinks.work { try cache.clones(from: root) }
    }

    /// Writes the destination first, then adds it to the cache as a reflink clone, which writes no
    /// byte twice; where clones do not work, copies it into the cache with `copyIfNoClone` and
    /// leaves the cache alone otherwise. The clone is taken before the destination has its name, so
    /// nobody can have changed it in between.
    private func buildThenClone(
        _ file: ManifestEntry, source: any ContentChunkSource, to destination: String, cache: FileCache,
        copyIfNoClone: Bool, hashing: HashingThread?
    ) throws -> Outcome {
        let output = try build(file, source: source, to: destination, readable: true, hashing: hashing)
        defer { output.close() }
        var cached = false
        if try clones(into: cache) {
            cached = try cache.insert(digest: file.digest, size: file.size, owner: owner, cloning: output.fd)
        }
        // A clone refused although the probe's worked (the file is on another file system, …).
        if !cached && copyIfNoClone {
            try cache.insert(digest: file.digest, size: file.size, owner: owner, copying: output.fd, sourcePath: destination)
            cached = true
        }
        try output.place(at: destination)
        return cached ? .sourceAndCache : .source
    }

    /// Rebuilds a file, unnamed, and returns it once its digest checks out; the caller places it.
    private func build(
        _ file: ManifestEntry, source: any ContentChunkSource, to destination: String, readable: Bool = false,
        hashing: HashingThread?
    ) throws -> PendingFile {
        let output = try PendingFile.create(toBecome: destination, mode: 0o666, readable: readable)
        do {
            try output.allocate(file.size, path: destination)
            // The cache's writer does what is needed here too: write, count and hash in one pass.
            let writer = CacheWriter(fd: output.fd, path: destination)
            writer.hashingThread = hashing
            try source.forEachChunk(ofContent: file.digest, checkingEach: false) { try writer.write($0) }
            guard writer.finishDigest() == file.digest, writer.bytesWritten == file.size else {
                throw StoreError.corruptData(what: "file \(file.path)", detail: "rebuilt content does not match its digest")
            }
        } catch {
            output.close()
            throw error
        }
        return output
    }
}
