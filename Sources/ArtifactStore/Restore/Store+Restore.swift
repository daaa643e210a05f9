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

    /// Creates a report.
    public init(
        root: String, files: Int, bytes: Int64, unchanged: Int, fromCache: Int, fromStore: Int, fromReferences: Int = 0,
        addedToCache: Int = 0
    ) {
        self.addedToCache = addedToCache
        self.root = root
        self.files = files
        self.bytes = bytes
        self.unchanged = unchanged
        self.fromCache = fromCache
        self.fromStore = fromStore
        self.fromReferences = fromReferences
    }
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
    /// `references` nil they are left out. `paths` restricts the download to those files.
    /// - Throws: `StoreError.invalidArgument` for a path in `paths` the version does not have; `StoreError.damagedFile` naming the file and version when stored bytes are missing or
    ///   damaged (the file is not written), `.referenceChanged` / `.referenceUnavailable`, `.unsafePath`, `.io`;
    ///   `.invalidArgument` for a link mode without a cache (or with `.never`).
    @discardableResult
    public func download(
        _ version: ArtifactVersion, to root: URL, cache: FileCache?, mode: LinkMode = .copy,
        cachePolicy: CachePolicy = .always, paths: [String]? = nil,
        references: ReferenceResolver? = .local, allowChanged: Bool = false, warn: (String) -> Void = { _ in },
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) throws -> RestoreReport {
        let entries = try ManifestSelection.entries(self.files(of: version), at: paths, of: version.qualifiedName)
        let referenced = entries.filter { !$0.isStored }
        // The manifest's own array when every file is stored (the usual case): no copy of 7 MiB per
        // 100,000 files.
        let files = referenced.isEmpty ? entries : entries.filter(\.isStored)
        var restorer = try FileRestorer(
            root: root, versionName: version.qualifiedName,
            owner: CacheOwner(project: version.project, artifact: version.name), cache: cache, mode: mode,
            cachePolicy: cachePolicy, workers: ProcessInfo.processInfo.activeProcessorCount)
        let rootPath = restorer.root
        // Every path is checked before anything is written: those to write by `prepareDirectories`, the
        // references left out here (a path checked twice cost a pass over 20,000 manifest entries).
        if references == nil { for file in referenced { try ManifestPath.validate(file.path) } }
        try restorer.prepareDirectories(for: (references == nil ? files : entries).map(\.path))

        // Every chunk list at once, when the first file needs the store: one query instead of one
        // per file, and none when the cache holds everything.
        let chunkTable = Mutex<ContentChunkTable?>(nil)
        let chunks = { @Sendable [catalog] (digest: String) throws -> [StoredChunk]? in
            let table = try chunkTable.withLock { table in
                if table == nil { table = try catalog.chunkTable(versionID: version.id) }
                return table!
            }
            return table.chunks(ofContent: digest)
        }
        let counts = try restorer.restore(
            files,
            makeSource: { [catalog, objects] in
                StoredChunkSource(reader: ChunkReader(catalog: catalog, objects: objects), chunkList: chunks)
            },
            progress: progress)
        let totalBytes = files.reduce(Int64(0)) { $0 + $1.size }
        let fetched = references == nil ? [] : referenced
        try ReferenceChecker(resolver: references ?? .local)
            .fetch(fetched, under: rootPath, allowChanged: allowChanged, warn: warn)
        return RestoreReport(
            root: rootPath, files: files.count + fetched.count, bytes: totalBytes + fetched.reduce(0) { $0 + $1.size },
            unchanged: counts.unchanged, fromCache: counts.fromCache, fromStore: counts.fromSource,
            fromReferences: fetched.count, addedToCache: counts.addedToCache)
    }
}
