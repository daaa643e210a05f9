import Foundation
import Testing
@testable import ArtifactStore
import StoreTestSupport

/// A deletion while the object store fails (a bucket that hangs): the versions go, and the packs they
/// emptied or left partly live stay listed in the catalog, never orphaned in the bucket, until a later
/// deletion deletes or rewrites them.
@Suite struct DeletionOutageTests {
    /// The store's own objects, except that deleting one (and storing one, with `failingStores`) fails
    /// while `failing` is set.
    private final class FlakyDeletes: ObjectStore, @unchecked Sendable {
        struct Outage: ObjectStoreFailure, Equatable, CustomStringConvertible {
            var isOutage: Bool { true }
            var description: String { "the object store did not answer within 3 s" }
        }
        let inner: any ObjectStore
        var failing = true
        let failingStores: Bool
        init(_ inner: any ObjectStore, failingStores: Bool = false) {
            self.inner = inner
            self.failingStores = failingStores
        }
        func store(key: String, movingFile file: URL) throws {
            if failing && failingStores { throw Outage() }
            try inner.store(key: key, movingFile: file)
        }
        func store(key: String, bytes: Data) throws {
            if failing && failingStores { throw Outage() }
            try inner.store(key: key, bytes: bytes)
        }
        func reader(key: String) throws -> any ObjectReader { try inner.reader(key: key) }
        func read(key: String, ranges: [Range<Int64>]) throws -> ObjectRanges { try inner.read(key: key, ranges: ranges) }
        func read(
            key: String, ranges: [Range<Int64>], forEachPiece body: (Int, Int, UnsafeRawBufferPointer) throws -> Void
        ) throws -> Int64 { try inner.read(key: key, ranges: ranges, forEachPiece: body) }
        /// How many deletes were asked for.
        var deletes = 0
        func delete(key: String) throws {
            deletes += 1
            if failing { throw Outage() }
            try inner.delete(key: key)
        }
        func list() throws -> [ObjectInfo] { try inner.list() }
        var stagingDirectory: URL { inner.stagingDirectory }
    }

    @Test func emptiedPacksStayListedUntilTheObjectStoreDeletesThem() throws {
        let fixture = try StoreFixture()
        try fixture.put(try fixture.tree("v0", ["a.bin": randomBytes(200_000, seed: 1)]))
        try fixture.put(try fixture.tree("v1", ["b.bin": randomBytes(200_000, seed: 2)]))
        try fixture.put(try fixture.tree("v2", ["c.bin": randomBytes(200_000, seed: 3)]))
        let objects = FlakyDeletes(fixture.store.objects)
        let store = Store(directory: fixture.root.appendingPathComponent("store"), catalog: fixture.store.catalog, objects: objects)
        let packsBefore = Set(try store.catalog.packs().map(\.key))

        let plan = try store.delete([try store.version("proj/data:v0")])
        #expect(plan.versions.map(\.versionName) == ["v0"] && plan.freedBytes > 0)
        #expect(plan.packsLeft == 1)
        #expect(plan.objectStoreError == "the object store did not answer within 3 s")
        #expect(throws: StoreError.self) { try store.version("proj/data:v0") }
        // The emptied pack is still the catalog's, so it is no orphan: verify counts it as reclaimable,
        // and nothing it reports is damage, whether the object is still there or (deleted by a bucket
        // that answered too late) gone.
        let emptied = try store.catalog.packsToCompact()
        #expect(emptied.count == 1 && packsBefore.contains(emptied[0].key))
        #expect(Set(try store.catalog.packs().map(\.key)) == packsBefore)
        let report = try StoreVerifier(store: store).verify(.store)
        #expect(report.isClean)
        #expect(report.reclaimable.map(\.kind) == [.emptiedPack] && report.reclaimable.map(\.path) == [emptied[0].key])
        #expect(report.reclaimable.map(\.bytes) == [emptied[0].size])

        // The next deletion, with the object store answering, deletes it too.
        objects.failing = false
        let next = try store.delete([try store.version("proj/data:v1")])
        #expect(next.packsLeft == 0 && next.objectStoreError == nil)
        #expect(try store.catalog.packsToCompact().isEmpty)
        let remaining = Set(try store.objects.list().map(\.key))
        #expect(!remaining.contains(emptied[0].key))
        // Of the packs there were, the object store holds exactly those the catalog still lists: no orphan.
        #expect(remaining.intersection(packsBefore) == Set(try store.catalog.packs().map(\.key)))
        let after = try StoreVerifier(store: store).verify(.store)
        #expect(after.isClean && after.reclaimable.isEmpty)
        #expect(try store.version("proj/data:v2").versionName == "v2")
    }

    @Test func anEmptiedPackWhoseObjectWentLateIsNoDamageAndRepairForgetsIt() throws {
        let fixture = try StoreFixture()
        try fixture.put(try fixture.tree("v0", ["a.bin": randomBytes(200_000, seed: 4)]))
        try fixture.put(try fixture.tree("v1", ["b.bin": randomBytes(200_000, seed: 5)]))
        let objects = FlakyDeletes(fixture.store.objects)
        let store = Store(directory: fixture.root.appendingPathComponent("store"), catalog: fixture.store.catalog, objects: objects)
        #expect(try store.delete([try store.version("proj/data:v0")]).packsLeft == 1)
        // The hung bucket carried the delete out after all, once the client had given up.
        let key = try #require(try store.catalog.packsToCompact().first?.key)
        try fixture.store.objects.delete(key: key)
        let report = try StoreVerifier(store: store).verify(.store)
        #expect(report.isClean, "\(report.problems)")
        #expect(report.reclaimable.map(\.kind) == [.emptiedPack] && report.reclaimable.map(\.bytes) == [0])

        objects.failing = false
        let repaired = try StoreVerifier(store: store).repair(report, scope: .store)
        #expect(repaired.repairs.map(\.action) == ["removed"])
        #expect(try store.catalog.packsToCompact().isEmpty)
        let after = try StoreVerifier(store: store).verify(.store)
        #expect(after.isClean && after.reclaimable.isEmpty)
    }

    @Test func aPackWhoseRewriteFailedIsRewrittenByTheNextDeletion() throws {
        let fixture = try StoreFixture()
        // v0 is one file, so one pack; v1's file is its first 2.5 MiB and shares the chunks that end before
        // that: deleting v0 leaves its pack partly live.
        let whole = randomBytes(4 << 20, seed: 7)
        let shared = Array(whole.prefix(5 << 19))
        try fixture.put(try fixture.tree("v0", ["a.bin": whole]))
        try fixture.put(try fixture.tree("v1", ["b.bin": shared]))
        try fixture.put(try fixture.tree("v2", ["d.bin": randomBytes(150_000, seed: 9)]))
        let objects = FlakyDeletes(fixture.store.objects, failingStores: true)
        let store = Store(directory: fixture.root.appendingPathComponent("store"), catalog: fixture.store.catalog, objects: objects)
        let v0Packs = try store.catalog.packKeys(ofVersion: try store.version("proj/data:v0").id)
        try #require(v0Packs.count == 1)
        let pack = try #require(v0Packs.first)
        let v1Packs = try store.catalog.packKeys(ofVersion: try store.version("proj/data:v1").id)
        try #require(v1Packs.contains(pack), "v1 shares chunks of v0's pack")

        // The bucket fails the rewrite's new pack: the old one stays, listed, with its dead bytes.
        let plan = try store.delete([try store.version("proj/data:v0")])
        #expect(plan.packsLeft == 1 && plan.objectStoreError == "the object store did not answer within 3 s")
        #expect(try store.catalog.packsToCompact().map(\.key) == [pack])
        let report = try StoreVerifier(store: store).verify(.store)
        #expect(report.isClean, "\(report.problems)")
        #expect(report.reclaimable.map(\.kind) == [.deadBytes] && report.reclaimable.map(\.path) == [pack])

        // The next deletion, with the object store answering, rewrites it: no verify --repair needed.
        objects.failing = false
        let next = try store.delete([try store.version("proj/data:v2")])
        #expect(next.packsLeft == 0 && next.objectStoreError == nil)
        #expect(try store.catalog.packsToCompact().isEmpty)
        #expect(!Set(try store.catalog.packs().map(\.key)).contains(pack))
        #expect(!Set(try store.objects.list().map(\.key)).contains(pack))
        let after = try StoreVerifier(store: store).verify(.store)
        #expect(after.isClean && after.reclaimable.isEmpty, "\(after.reclaimable)")
        let out = fixture.root.appendingPathComponent("out")
        try store.download(try store.version("proj/data:v1"), to: out, cache: nil)
        #expect(try fixture.contents(of: out)["b.bin"] == Data(shared))
    }

    @Test func anOutageLeavesTheRestOfADeletionsPacksWithoutWaitingOnEach() throws {
        let fixture = try StoreFixture()
        for seed in 10..<13 { try fixture.put(try fixture.tree("v\(seed)", ["f.bin": randomBytes(100_000, seed: UInt64(seed))])) }
        let objects = FlakyDeletes(fixture.store.objects)
        let store = Store(directory: fixture.root.appendingPathComponent("store"), catalog: fixture.store.catalog, objects: objects)
        // Each of these versions has a pack of its own; on a hung bucket each delete waits out its limit.
        let plan = try store.delete([try store.version("proj/data:v0"), try store.version("proj/data:v1")])
        #expect(plan.packsLeft == 2 && plan.objectStoreError == "the object store did not answer within 3 s")
        #expect(objects.deletes == 1, "the second pack is left at once, not asked for")
        #expect(try store.catalog.packsToCompact().count == 2)

        objects.failing = false
        #expect(try store.delete([try store.version("proj/data:v2")]).packsLeft == 0)
        #expect(try store.catalog.packsToCompact().isEmpty && store.catalog.packs().isEmpty)
    }
}
