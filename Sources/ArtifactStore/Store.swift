import Foundation

/// An artifact store: a catalog of projects, artifacts and versions, and the chunk storage behind them.
///
/// Open the embedded store with `Store(directory:)`; everything else (putting, getting, aliases,
/// deleting, pruning) goes through this type. It is safe to use from several threads, and several
/// processes may open the same store at once.
///
/// ```swift
/// let store = try Store(directory: URL(fileURLWithPath: "/data/arttui"))
/// var draft = ArtifactDraft(name: "mnist", type: "dataset")
/// try draft.addDirectory(URL(fileURLWithPath: "mnist/"))
/// let result = try store.log(draft, project: "vision")
/// let artifact = try store.artifact("vision/mnist:latest")
/// artifact.aliases.append("best")
/// try artifact.save()
/// ```
public final class Store: Sendable {
    /// The format of the store's layout this code reads and writes.
    public static let formatVersion = 1
    /// The file that marks a directory as a store.
    public static let markerName = "arttui-store.json"

    /// The store's directory.
    public let directory: URL
    /// Projects, artifacts, versions, aliases and chunk locations.
    public let catalog: any Catalog
    /// The pack files.
    public let objects: any ObjectStore
    /// How files are cut into chunks.
    let chunking: ChunkingParameters
    /// Digests of files this machine has put before; nil for stores not on the local disk.
    let statCache: StatCache?

    /// Opens the embedded store in `directory`, creating it if the directory is missing or empty.
    /// - Throws: `StoreError.notAStore` if the directory holds something else, `.unsupportedStoreFormat`
    ///   if a newer arttui wrote it, `.io` or `.catalog` if it cannot be read or created.
    public convenience init(directory: URL, create: Bool = true) throws {
        let directory = directory.standardizedFileURL
        try Store.prepare(directory: directory, create: create)
        let catalog = try SQLiteCatalog(path: directory.appendingPathComponent("catalog.sqlite").path)
        let objects = try LocalObjectStore(
            root: directory, stagingDirectory: directory.appendingPathComponent("tmp"))
        PackWriter.sweepAbandoned(in: objects.stagingDirectory)
        let statCache = try StatCache(path: directory.appendingPathComponent("statcache.sqlite").path)
        self.init(directory: directory, catalog: catalog, objects: objects, statCache: statCache)
    }

    /// Assembles a store from a catalog and an object store of any kind.
    public convenience init(directory: URL, catalog: any Catalog, objects: any ObjectStore) {
        self.init(directory: directory, catalog: catalog, objects: objects, statCache: nil)
    }

    init(directory: URL, catalog: any Catalog, objects: any ObjectStore, statCache: StatCache?) {
        self.directory = directory
        self.catalog = catalog
        self.objects = objects
        self.chunking = .standard
        self.statCache = statCache
    }

    /// Checks that `directory` is a store (or creates one there) and that its format is readable.
    static func prepare(directory: URL, create: Bool) throws {
        let fileManager = FileManager.default
        let marker = directory.appendingPathComponent(markerName)
        var isDirectory: ObjCBool = false
        let exists = fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw StoreError.notAStore(path: directory.path, reason: "it is a file, not a directory")
        }
        if let data = fileManager.contents(atPath: marker.path) {
            guard let info = try? JSONDecoder().decode(StoreMarker.self, from: data) else {
                throw StoreError.notAStore(path: directory.path, reason: "\(markerName) is not readable")
            }
            guard info.format <= formatVersion else {
                throw StoreError.unsupportedStoreFormat(path: directory.path, found: info.format, supported: formatVersion)
            }
            return
        }
        if exists {
            let entries = (try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? []
            if !entries.isEmpty {
                throw StoreError.notAStore(
                    path: directory.path, reason: "it is not empty and has no \(markerName)")
            }
        }
        guard create else { throw StoreError.notAStore(path: directory.path, reason: "it does not exist") }
        try makeDirectory(directory.path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(StoreMarker(format: formatVersion, created: Date()))
        let temporary = directory.appendingPathComponent(".\(markerName).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            throw StoreError.io(operation: "create store in", path: directory.path, reason: FileSystem.reason(of: error))
        }
        try FileSystem.rename(temporary.path, to: marker.path)
    }
}

/// The contents of the marker file.
private struct StoreMarker: Codable {
    var format: Int
    var created: Date
}
