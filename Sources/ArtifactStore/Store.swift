import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
    /// The format of the store's layout this code reads and writes: 2 since the catalog keeps digests
    /// as 32 bytes, 3 since its file rows have no second index by content. An older store is upgraded
    /// in place when it is opened (see `upgradeMarker`).
    public static let formatVersion = 3
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
    /// Opens the digests of files this machine has put before (only `put` needs them, so read-only
    /// commands never touch the file); returns nil for stores not on the local disk.
    let openStatCache: @Sendable () throws -> StatCache?

    /// Opens the embedded store in `directory`, creating it if the directory is missing or empty.
    /// - Throws: `StoreError.notAStore` if the directory holds something else, `.unsupportedStoreFormat`
    ///   if a newer arttui wrote it, `.io` or `.catalog` if it cannot be read or created.
    public convenience init(directory: URL, create: Bool = true) throws {
        let directory = directory.standardizedFileURL
        if try Store.prepare(directory: directory, create: create) < Store.formatVersion {
            try Store.upgradeMarker(in: directory)
        }
        let catalog = try SQLiteCatalog(path: directory.appendingPathComponent("catalog.sqlite").path)
        let objects = try LocalObjectStore(
            root: directory, stagingDirectory: directory.appendingPathComponent("tmp"))
        PackWriter.sweepAbandoned(in: objects.stagingDirectory)
        let statCachePath = directory.appendingPathComponent("statcache.sqlite").path
        self.init(directory: directory, catalog: catalog, objects: objects) { try StatCache(path: statCachePath) }
    }

    /// Assembles a store from a catalog and an object store of any kind.
    public convenience init(directory: URL, catalog: any Catalog, objects: any ObjectStore) {
        self.init(directory: directory, catalog: catalog, objects: objects) { nil }
    }

    init(
        directory: URL, catalog: any Catalog, objects: any ObjectStore,
        openStatCache: @escaping @Sendable () throws -> StatCache?
    ) {
        self.directory = directory
        self.catalog = catalog
        self.objects = objects
        self.chunking = .standard
        self.openStatCache = openStatCache
    }

    /// Checks that `directory` is a store (or creates one there) and that its format is readable.
    ///
    /// Several processes may create the same store at once: the marker is published with `link`,
    /// which fails if another process got there first, and a directory holding nothing but other
    /// creators' unpublished markers counts as empty.
    /// - Returns: The store's format (`formatVersion` for a store created here).
    @discardableResult
    static func prepare(directory: URL, create: Bool) throws -> Int {
        let marker = directory.appendingPathComponent(markerName)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw StoreError.notAStore(path: directory.path, reason: "it is a file, not a directory")
        }
        if let format = try readMarker(marker, store: directory) { return format }
        if exists {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            if entries.contains(where: { !$0.hasPrefix(".\(markerName).") }) {
                // Another process may have published the marker (and begun filling the store) since
                // the look above: a creator links the marker before it writes anything else.
                if let format = try readMarker(marker, store: directory) { return format }
                throw StoreError.notAStore(path: directory.path, reason: "it is not empty and has no \(markerName)")
            }
        }
        guard create else { throw StoreError.notAStore(path: directory.path, reason: "it does not exist") }
        try makeDirectory(directory.path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(StoreMarker(format: formatVersion, created: Date()))
        let temporary = directory.appendingPathComponent(".\(markerName).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            throw StoreError.io(operation: "create store in", path: directory.path, reason: FileSystem.reason(of: error))
        }
        defer { unlink(temporary.path) }
        if link(temporary.path, marker.path) != 0 && errno != EEXIST {
            throw StoreError.io(operation: "create store in", path: directory.path, reason: FileSystem.lastError())
        }
        try FileSystem.fsync(path: directory.path)
        return try readMarker(marker, store: directory) ?? formatVersion
    }

    /// Marks an older store as of the current format, before its catalog is upgraded.
    ///
    /// The marker goes first because it is what an older arttui checks: from this moment such a binary
    /// refuses the store with one line instead of misreading its tables, while this one finishes
    /// the catalog's upgrade (one SQLite transaction) on this open or, after a kill, on the next. The
    /// marker is replaced by `rename`, so it is always the old file or the new one.
    static func upgradeMarker(in directory: URL) throws {
        let marker = directory.appendingPathComponent(markerName)
        guard let data = FileManager.default.contents(atPath: marker.path),
              var info = try? JSONDecoder().decode(StoreMarker.self, from: data)
        else { throw StoreError.notAStore(path: directory.path, reason: "\(markerName) is not readable") }
        guard info.format < formatVersion else { return }
        info.format = formatVersion
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let temporary = directory.appendingPathComponent(".\(markerName).\(UUID().uuidString).tmp")
        defer { unlink(temporary.path) }
        do {
            try encoder.encode(info).write(to: temporary)
        } catch {
            throw StoreError.io(operation: "upgrade store in", path: directory.path, reason: FileSystem.reason(of: error))
        }
        try FileSystem.fsync(path: temporary.path)
        try FileSystem.rename(temporary.path, to: marker.path)
        try FileSystem.fsync(path: directory.path)
        try FaultInjection.check(.upgrade, operation: "upgrade", path: directory.path)
    }

    /// Reads the marker's format; nil when there is no marker.
    private static func readMarker(_ marker: URL, store directory: URL) throws -> Int? {
        guard let data = FileManager.default.contents(atPath: marker.path) else { return nil }
        guard let info = try? JSONDecoder().decode(StoreMarker.self, from: data) else {
            throw StoreError.notAStore(path: directory.path, reason: "\(markerName) is not readable")
        }
        guard info.format <= formatVersion else {
            throw StoreError.unsupportedStoreFormat(path: directory.path, found: info.format, supported: formatVersion)
        }
        return info.format
    }
}

/// The contents of the marker file.
private struct StoreMarker: Codable {
    var format: Int
    var created: Date
}
