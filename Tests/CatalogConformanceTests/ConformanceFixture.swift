import ArtifactStore
import ArtifactStorePostgres
import Foundation
import StoreTestSupport
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

    /// Writes files (path → bytes) under `root/trees/name` and returns that directory.
    @discardableResult
    func tree(_ name: String, _ files: [String: [UInt8]]) throws -> URL {
        try TestTree.write(files, at: root.appendingPathComponent("trees").appendingPathComponent(name))
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
    func packBytes() throws -> Int64 { try store.packBytes() }

    /// Every file under a directory, path → content.
    func contents(of directory: URL) throws -> [String: Data] { try TestTree.contents(of: directory) }
}
