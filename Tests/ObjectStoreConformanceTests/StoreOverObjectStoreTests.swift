import ArtifactStore
import Foundation
import Testing
import StoreTestSupport

/// The whole store on each object store: put a directory, restore it through `ChunkReader`, and
/// verify every pack byte by byte.
@Suite struct StoreOverObjectStoreTests {
    @Test(arguments: ObjectStoreBackend.allCases)
    func putRestoreAndVerify(_ backend: ObjectStoreBackend) throws {
        guard let objects = try backend.makeStore() else { return }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-store-\(UUID().uuidString)")
        let source = scratch.appendingPathComponent("source")
        try FileManager.default.createDirectory(at: source.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let files: [String: [UInt8]] = [
            "weights.bin": randomBytes(3 << 20, seed: 11),
            "sub/config.json": Array(#"{"lr": 0.001, "layers": 12}"#.utf8),
            "sub/empty.txt": [],
        ]
        for (path, content) in files { try Data(content).write(to: source.appendingPathComponent(path)) }
        let catalog = try SQLiteCatalog(path: scratch.appendingPathComponent("catalog.sqlite").path)
        let store = Store(directory: scratch, catalog: catalog, objects: objects)
        var draft = ArtifactDraft(name: "model", type: "model")
        try draft.addDirectory(source)
        let logged = try store.log(draft, project: "conformance")

        let target = scratch.appendingPathComponent("restored")
        try store.download(logged.version, to: target, cache: nil)
        for (path, content) in files {
            #expect(try Data(contentsOf: target.appendingPathComponent(path)) == Data(content), "\(backend) \(path)")
        }
        var verifier = StoreVerifier(store: store)
        verifier.readData = true
        let report = try verifier.verify(.store)
        #expect(report.isClean, "\(backend): \(report.problems)")
        #expect(report.chunksChecked > 0)
    }
}
