import ArtifactStore
import ArtifactStorePostgres
import Foundation
import ProcessTestSupport
import StoreTestSupport
import Testing

/// Writers on several threads and two catalog instances (as two server processes have) at once.
@Suite("Catalog concurrency", .blockingCalls)
struct CatalogConcurrencyTests {
    @Test(arguments: CatalogKind.available)
    func concurrentCommitsGetEveryNumberOnce(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let second = try fixture.secondCatalog()
        defer { (second as? PostgresCatalog)?.close() }
        let objects = try LocalObjectStore(
            root: fixture.store.directory, stagingDirectory: fixture.store.directory.appendingPathComponent("tmp"))
        let stores = [fixture.store, Store(directory: fixture.store.directory, catalog: second, objects: objects)]
        let (threads, perThread) = (4, 8)
        let shared = randomBytes(20_000, seed: 77)
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for put in 0..<perThread {
                do {
                    var draft = ArtifactDraft(name: "data", type: "dataset")
                    try draft.addData(Data(shared), as: "shared.bin")
                    try draft.addData(Data("thread \(thread) put \(put)".utf8), as: "own.txt")
                    let result = try stores[thread % 2].log(draft, project: "proj")
                    results.add(result.created ? result.version.index : nil)
                } catch {
                    results.fail("\(error)")
                }
            }
        }
        #expect(results.errors == [])
        #expect(results.indices.compactMap { $0 }.sorted() == Array(0..<(threads * perThread)))
        #expect(try fixture.store.versionCount(of: "proj", "data") == threads * perThread)
        #expect(try fixture.store.version("proj/data:latest").index == threads * perThread - 1)
        // The shared file was stored once, however many writers raced to store it.
        let sharedChunks = try fixture.store.versions(of: "proj", "data").filter { $0.addedBytes > 20_000 }
        #expect(sharedChunks.count <= 1)
    }

    @Test(arguments: CatalogKind.available)
    func deletionsNeverTakeChunksAConcurrentCommitUses(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let shared = randomBytes(30_000, seed: 88)
        let store = fixture.store
        try fixture.put(["shared.bin": shared, "own": [0]])
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            for round in 0..<6 {
                do {
                    if worker == 2 {
                        // Delete everything but the newest, again and again.
                        let old = try store.versions(of: "proj", "data").dropFirst()
                        if !old.isEmpty { try store.delete(Array(old)) }
                    } else {
                        var draft = ArtifactDraft(name: "data", type: "dataset")
                        try draft.addData(Data(shared), as: "shared.bin")
                        try draft.addData(Data("worker \(worker) round \(round)".utf8), as: "own")
                        try store.log(draft, project: "proj")
                    }
                } catch StoreError.versionNotFound {
                    // Another round of the deleter saw the version before this one deleted it.
                } catch {
                    results.fail("\(error)")
                }
            }
        }
        #expect(results.errors == [])
        for version in try store.versions(of: "proj", "data") {
            let out = fixture.root.appendingPathComponent("out-\(version.index!)")
            try store.download(version, to: out, cache: nil)
            #expect(try fixture.contents(of: out)["shared.bin"] == Data(shared))
        }
    }
}

/// What the threads of a test saw.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var indices: [Int?] = []
    private(set) var errors: [String] = []

    func add(_ index: Int?) { lock.withLock { indices.append(index) } }
    func fail(_ error: String) { lock.withLock { errors.append(error) } }
}
