import ArtifactStore
import ArtifactStorePostgres
import Foundation
import Testing

/// Which catalog a conformance test runs against.
enum CatalogKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    /// The kinds this machine can test: PostgreSQL only when `ARTTUI_TEST_DATABASE_URL` is set.
    static let available: [CatalogKind] = TestDatabase.adminURL == nil ? [.sqlite] : [.sqlite, .postgres]

    var testDescription: String { rawValue }
}

/// A store on a fresh catalog of the given kind, with its pack files in a local directory.
final class ConformanceFixture: @unchecked Sendable {
    let kind: CatalogKind
    let root: URL
    let store: Store
    let catalog: any Catalog
    private let database: TestDatabase?

    init(_ kind: CatalogKind) throws {
        self.kind = kind
        root = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-conformance-\(UUID().uuidString)")
        let storeDirectory = root.appendingPathComponent("store")
        try FileManager.default.createDirectory(at: storeDirectory, withIntermediateDirectories: true)
        switch kind {
        case .sqlite:
            database = nil
            catalog = try SQLiteCatalog(path: storeDirectory.appendingPathComponent("catalog.sqlite").path)
        case .postgres:
            let database = try TestDatabase()
            self.database = database
            do {
                catalog = try PostgresCatalog(url: database.url)
            } catch {
                // deinit does not run for an object whose init failed.
                database.drop()
                throw error
            }
        }
        let objects = try LocalObjectStore(root: storeDirectory, stagingDirectory: storeDirectory.appendingPathComponent("tmp"))
        store = Store(directory: storeDirectory, catalog: catalog, objects: objects)
    }

    deinit {
        (catalog as? PostgresCatalog)?.close()
        database?.drop()
        try? FileManager.default.removeItem(at: root)
    }

    /// A second catalog on the same records (another connection pool, as another server process has).
    func secondCatalog() throws -> any Catalog {
        switch kind {
        case .sqlite: return try SQLiteCatalog(path: store.directory.appendingPathComponent("catalog.sqlite").path)
        case .postgres: return try PostgresCatalog(url: database!.url)
        }
    }

    /// Writes files (path → bytes) under `root/name` and returns that directory.
    @discardableResult
    func tree(_ name: String, _ files: [String: [UInt8]]) throws -> URL {
        let directory = root.appendingPathComponent("trees").appendingPathComponent(name)
        try? FileManager.default.removeItem(at: directory)
        for (path, bytes) in files {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Logs files as a version of `project/name`.
    @discardableResult
    func put(
        _ files: [String: [UInt8]], _ project: String = "proj", _ name: String = "data", aliases: [String] = [],
        type: String = "dataset", run: Run? = nil
    ) throws -> LogResult {
        var draft = ArtifactDraft(name: name, type: type, aliases: aliases)
        try draft.addDirectory(tree(UUID().uuidString, files))
        if let run { return try run.logArtifact(draft, project: project) }
        return try store.log(draft, project: project)
    }

    /// Total bytes of the pack files.
    func packBytes() throws -> Int64 {
        try store.objects.list().filter { $0.key.hasPrefix("packs/") }.reduce(0) { $0 + $1.size }
    }

    /// Every file under a directory, path → content.
    func contents(of directory: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let base = directory.standardizedFileURL.path + "/"
        for case let url as URL in FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)! {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            result[String(url.standardizedFileURL.path.dropFirst(base.count))] = try Data(contentsOf: url)
        }
        return result
    }
}

/// Deterministic pseudo-random bytes (SplitMix64), so chunking and deduplication are reproducible.
func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    var bytes = [UInt8]()
    bytes.reserveCapacity(count + 8)
    while bytes.count < count {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        withUnsafeBytes(of: z.littleEndian) { bytes.append(contentsOf: $0) }
    }
    return Array(bytes.prefix(count))
}
