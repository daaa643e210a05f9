import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What `Store.download` did.
public struct RestoreReport: Sendable, Codable {
    /// The directory written.
    public var root: String
    /// Files in the version.
    public var files: Int
    /// Their total size.
    public var bytes: Int64
    /// Files already there with the right content, left alone.
    public var unchanged: Int
    /// Files taken from the cache.
    public var fromCache: Int
    /// Files rebuilt from stored chunks.
    public var fromStore: Int
    /// Reference entries fetched from their sources.
    public var fromReferences: Int = 0
    /// Files built from the store that were also added to the cache (see ``CachePolicy``).
    public var addedToCache: Int = 0
}

extension Store {
    /// Writes a version's files under `root`, every byte checked against its digest.
    ///
    /// Files are taken from `cache` when it holds them; `cachePolicy` says whether the files it
    /// lacks are added to it (see ``CachePolicy``: with `.never` the cache is not used at all).
    /// Files already under `root` with the right content are not rewritten. No manifest path can
    /// write outside `root`: every path is checked before anything is written, and no directory on
    /// the way may be a symbolic link.
    ///
    /// Reference entries are fetched from their sources through `references` once the stored files
    /// are in place, each checked against its recorded checksum (see ``ReferenceChecker``); with
    /// `references` nil they are left out.
    /// - Throws: `StoreError.damagedFile` naming the file and version when stored bytes are missing or
    ///   damaged (the file is not written), `.referenceChanged` / `.referenceUnavailable`, `.unsafePath`, `.io`;
    ///   `.invalidArgument` for a link mode without a cache (or with `.never`).
    @discardableResult
    public func download(
        _ version: ArtifactVersion, to root: URL, cache: FileCache?, mode: LinkMode = .copy,
        cachePolicy: CachePolicy = .always,
        references: ReferenceResolver? = .local, allowChanged: Bool = false, warn: (String) -> Void = { _ in },
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) throws -> RestoreReport {
        let cache = cachePolicy == .never ? nil : cache
        if mode != .copy && cache == nil {
            throw StoreError.invalidArgument(
                "a \(mode.rawValue) download links to cache files, so it needs the cache (cache policy "
                    + "\(cachePolicy.rawValue)\(cachePolicy == .never ? "" : ", no cache directory"))")
        }
        let entries = try self.files(of: version)
        for file in entries { try ManifestPath.validate(file.path) }
        let files = entries.filter(\.isStored)
        let referenced = entries.filter { !$0.isStored }
        let rootPath = root.standardizedFileURL.path
        // Into a new or empty folder (the usual download) no file can be there already: skip looking.
        let fresh = (try? FileManager.default.contentsOfDirectory(atPath: rootPath).isEmpty) ?? true
        try makeDirectory(rootPath)
        let directories = Set((references == nil ? files : entries).compactMap { file -> String? in
            guard let slash = file.path.lastIndex(of: "/") else { return nil }
            return String(file.path[..<slash])
        })
        for directory in directories.sorted() { try SafeDirectory.ensure(directory, under: rootPath) }

        // Every chunk list at once, when the first file needs the store: one query instead of one
        // per file, and none when the cache holds everything.
        let chunkLists = Mutex<[String: [StoredChunk]]?>(nil)
        let chunks = { @Sendable [catalog] (digest: String) throws -> [StoredChunk]? in
            try chunkLists.withLock { lists in
                if lists == nil { lists = try catalog.chunkLocations(versionID: version.id) }
                return lists?[digest]
            }
        }
        let pin = try cache?.pin(Array(Set(files.map(\.digest))))
        defer { try? pin?.release() }
        let owner = CacheOwner(project: version.project, artifact: version.name)
        let totalBytes = files.reduce(Int64(0)) { $0 + $1.size }
        let counts = Mutex((unchanged: 0, fromCache: 0, fromStore: 0, addedToCache: 0, bytes: Int64(0), done: 0))
        let filling = CacheFilling(policy: cachePolicy)
        let failure = Mutex<Error?>(nil)
        // A damaged file does not stop the others: everything the damage does not touch is restored.
        let damaged = Mutex<[StoreError]>([])
        let next = Atomic<Int>(0)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, files.count))
        let run = { [self] in DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let reader = ChunkReader(catalog: catalog, objects: objects)
            while failure.withLock({ $0 == nil }) {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < files.count else { break }
                let file = files[index]
                do {
                    let source = try restore(
                        file, chunks: chunks, root: rootPath, version: version, cache: cache,
                        owner: owner, mode: mode, filling: filling, fresh: fresh, reader: reader)
                    let snapshot = counts.withLock { counts in
                        switch source {
                        case .unchanged: counts.unchanged += 1
                        case .cache: counts.fromCache += 1
                        case .store: counts.fromStore += 1
                        case .storeAndCache:
                            counts.fromStore += 1
                            counts.addedToCache += 1
                        }
                        counts.bytes += file.size
                        counts.done += 1
                        return counts
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
        } }
        // The files are pinned, so their uses can go to the cache's index once, at the end.
        if let cache { try cache.deferringUses(preloading: pin, run) } else { run() }
        if let error = failure.withLock({ $0 }) { throw error }
        if let error = Store.summarize(damaged.withLock { $0 }) { throw error }
        let fetched = references == nil ? [] : referenced
        let checker = ReferenceChecker(resolver: references ?? .local)
        for entry in fetched {
            try checker.fetch(entry, to: rootPath + "/" + entry.path, allowChanged: allowChanged, warn: warn)
        }
        let final = counts.withLock { $0 }
        return RestoreReport(
            root: rootPath, files: files.count + fetched.count, bytes: totalBytes + fetched.reduce(0) { $0 + $1.size },
            unchanged: final.unchanged, fromCache: final.fromCache, fromStore: final.fromStore,
            fromReferences: fetched.count, addedToCache: final.addedToCache)
    }

    private enum Source { case unchanged, cache, store, storeAndCache }

    /// How one download adds the files it builds to the cache.
    private struct CacheFilling: Sendable {
        var policy: CachePolicy
        /// Whether reflink clones work between the cache and the destination, once a file has tried.
        var reflinks = Reflink.Support()
    }

    private func restore(
        _ file: ManifestEntry, chunks: (String) throws -> [StoredChunk]?, root: String, version: ArtifactVersion,
        cache: FileCache?, owner: CacheOwner, mode: LinkMode, filling: CacheFilling, fresh: Bool, reader: ChunkReader
    ) throws -> Source {
        let destination = root + "/" + file.path
        if !fresh, try SafeDirectory.holdsContent(destination, digest: file.digest, size: file.size, mode: mode) {
            return .unchanged
        }
        do {
            guard let cache else {
                let output = try build(file, chunks: try chunks(file.digest), to: destination, reader: reader)
                defer { output.close() }
                try output.place(at: destination)
                return .store
            }
            if try cache.copy(digest: file.digest, size: file.size, toPath: destination, mode: mode, owner: owner) {
                return .cache
            }
            let copyIntoCache = filling.policy == .always || file.size <= CachePolicy.autoCopyLimit
            if mode == .copy && (filling.reflinks.mayWork || !copyIntoCache) {
                return try buildThenClone(
                    file, chunks: try chunks(file.digest), to: destination, cache: cache, owner: owner,
                    copyIfNoClone: copyIntoCache, reflinks: filling.reflinks, reader: reader)
            }
            // No clone: a copy that fills the cache is written in the same pass as the cache file (each
            // byte read and hashed once, written twice); a link is made once the cache file is there.
            try cache.insert(
                digest: file.digest, size: file.size, owner: owner, copyToPath: mode == .copy ? destination : nil
            ) { sink in
                try reader.forEachChunk(ofContent: file.digest, chunks: try chunks(file.digest)) { try sink.write($0) }
            }
            if mode != .copy,
               try !cache.copy(digest: file.digest, size: file.size, toPath: destination, mode: mode, owner: owner)
            {
                throw StoreError.corruptData(what: "cache file", detail: "changed while it was being linked")
            }
            return .storeAndCache
        } catch let error as StoreError where error.isCorruptData {
            throw StoreError.damagedFile(version: version.qualifiedName, path: file.path, detail: "\(error)")
        }
    }

    /// Writes the destination first, then adds it to the cache as a reflink clone, which writes no
    /// byte twice; where clones do not work, copies it into the cache with `copyIfNoClone` and
    /// leaves the cache alone otherwise. The clone is taken before the destination has its name, so
    /// nobody can have changed it in between.
    private func buildThenClone(
        _ file: ManifestEntry, chunks: [StoredChunk]?, to destination: String, cache: FileCache,
        owner: CacheOwner, copyIfNoClone: Bool, reflinks: Reflink.Support, reader: ChunkReader
    ) throws -> Source {
        let output = try build(file, chunks: chunks, to: destination, reader: reader, readable: true)
        defer { output.close() }
        var cached = false
        if reflinks.mayWork {
            cached = try cache.insert(digest: file.digest, size: file.size, owner: owner, cloning: output.fd)
            reflinks.note(worked: cached)
        }
        if !cached && copyIfNoClone {
            try cache.insert(digest: file.digest, size: file.size, owner: owner, copying: output.fd, sourcePath: destination)
            cached = true
        }
        try output.place(at: destination)
        return cached ? .storeAndCache : .store
    }

    /// Rebuilds a file, unnamed, and returns it once its digest checks out; the caller places it.
    private func build(
        _ file: ManifestEntry, chunks: [StoredChunk]?, to destination: String, reader: ChunkReader,
        readable: Bool = false
    ) throws -> PendingFile {
        let output = try PendingFile.create(toBecome: destination, mode: 0o666, readable: readable)
        do {
            // The cache's writer does what is needed here too: write, count and hash in one pass.
            let writer = CacheWriter(fd: output.fd, path: destination)
            try reader.forEachChunk(ofContent: file.digest, chunks: chunks) { try writer.write($0) }
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
