@testable import ArtifactStore
import ArtifactStorePostgres
import Foundation
import ProcessTestSupport
import StoreTestSupport
import Testing

/// A deletion records, in its own transaction, the packs it leaves dead bytes in, so a compaction that
/// never ran or did not finish (the object store failed, the process ended) is taken up by the next
/// deletion, through any process on the catalog, on SQLite and PostgreSQL alike.
@Suite("Catalog conformance: packs left to compact", .blockingCalls)
struct CatalogCompactionConformanceTests {
    @Test(arguments: CatalogKind.available)
    func aDeletionsPacksStayToCompactUntilADeletionRewritesThem(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        // v0 is one file, so one pack; v1's file is its first 2.5 MiB and shares the chunks that end before
        // that: deleting v0 leaves its pack partly live.
        let whole = randomBytes(4 << 20, seed: 21)
        let shared = Array(whole.prefix(5 << 19))
        let v0 = try fixture.put(["a.bin": whole]).version
        let v1 = try fixture.put(["b.bin": shared]).version
        let v2 = try fixture.put(["d.bin": randomBytes(120_000, seed: 23)]).version
        func packs(_ version: ArtifactVersion) throws -> Set<String> { try fixture.catalog.packKeys(ofVersion: version.id) }
        let v0Packs = try packs(v0)
        try #require(v0Packs.count == 1 && !v0Packs.isDisjoint(with: try packs(v1)), "v1 shares chunks of v0's one pack")
        let pack = try #require(v0Packs.first)
        #expect(try fixture.catalog.packsToCompact().isEmpty)

        // The catalog's part of a deletion, as a process that ended before compacting leaves it.
        let outcome = try fixture.catalog.delete(versionIDs: [v0.id], deleteAliases: false)
        #expect(outcome.packsToCompact == [pack])
        let other = try fixture.secondCatalog()
        defer { (other as? PostgresCatalog)?.close() }
        #expect(try other.packsToCompact().map(\.key) == [pack], "another process sees what is left to do")

        let next = try fixture.store.delete([v2])
        #expect(next.packsLeft == 0)
        #expect(try other.packsToCompact().isEmpty)
        #expect(!Set(try other.packs().map(\.key)).contains(pack))
        let report = try StoreVerifier(store: fixture.store).verify(.store)
        #expect(report.isClean && report.reclaimable.isEmpty, "\(report.problems) \(report.reclaimable)")
        let out = fixture.root.appendingPathComponent("out")
        try fixture.store.download(try fixture.store.version("proj/data:v1"), to: out, cache: nil)
        #expect(try TestTree.contents(of: out)["b.bin"] == Data(shared))
    }

    /// Two processes compacting one pack: the later one's new pack, written while the first finished and
    /// forgot the old pack, is recorded empty and deleted by the next deletion, not left in the bucket
    /// with nothing to remember it.
    @Test(arguments: CatalogKind.available)
    func aCompactionThatLosesTheRaceLeavesNoOrphanPack(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let whole = randomBytes(4 << 20, seed: 31)
        let v0 = try fixture.put(["a.bin": whole]).version
        _ = try fixture.put(["b.bin": Array(whole.prefix(5 << 19))])
        let v2 = try fixture.put(["c.bin": randomBytes(120_000, seed: 32)]).version
        let v3 = try fixture.put(["d.bin": randomBytes(120_000, seed: 33)]).version
        let outcome = try fixture.catalog.delete(versionIDs: [v0.id], deleteAliases: false)
        let pack = try #require(outcome.packsToCompact.first)

        // The first process compacts the pack (the next deletion retries it) and forgets it.
        #expect(try fixture.store.delete([v2]).packsLeft == 0)
        #expect(!Set(try fixture.catalog.packs().map(\.key)).contains(pack))
        // The second had read the same live chunks and written its own new pack meanwhile.
        let late = ObjectInfo(key: "packs/0f/0f\(String(repeating: "e", count: 30)).pack", size: 5)
        try fixture.store.objects.store(key: late.key, bytes: Data("stale".utf8))
        let other = try fixture.secondCatalog()
        defer { (other as? PostgresCatalog)?.close() }
        #expect(try other.relocate([:], to: late, from: pack), "the old pack is gone: nothing holds chunks there")
        #expect(try other.packsToCompact().map(\.key) == [late.key], "the late pack is remembered, empty")

        #expect(try fixture.store.delete([v3]).packsLeft == 0)
        #expect(!(try fixture.store.objects.list().map(\.key)).contains(late.key), "the late pack's object is deleted")
        #expect(try other.packsToCompact().isEmpty)
        let report = try StoreVerifier(store: fixture.store).verify(.store)
        #expect(report.isClean && report.reclaimable.isEmpty, "\(report.problems) \(report.reclaimable)")
    }

    /// Packs a deletion emptied are found in one read and forgotten in one transaction; a pack that still
    /// holds chunks is neither reported empty nor forgotten, and a key the catalog does not know holds none.
    @Test(arguments: CatalogKind.available)
    func emptiedPacksAreFoundAndForgottenTogether(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let versions = try (0..<3).map { try fixture.put(["f\($0).bin": randomBytes(90_000, seed: 40 + UInt64($0))]).version }
        let packs = try versions.map { try #require(fixture.catalog.packKeys(ofVersion: $0.id).first) }
        try #require(Set(packs).count == 3, "each version in its own pack")
        let unknown = "packs/00/00\(String(repeating: "a", count: 30)).pack"
        #expect(try fixture.catalog.emptyPacks(among: packs + [unknown]) == [unknown])

        _ = try fixture.catalog.delete(versionIDs: [versions[0].id, versions[1].id], deleteAliases: false)
        let other = try fixture.secondCatalog()
        defer { (other as? PostgresCatalog)?.close() }
        #expect(try other.emptyPacks(among: packs + [unknown]) == [packs[0], packs[1], unknown])
        try fixture.store.objects.delete(key: packs[0])  // its object first, as compaction does
        #expect(try other.forgetPacks(keys: [packs[0], packs[2], unknown]) == [packs[0], unknown],
                "the pack v2 lives in is kept")
        #expect(Set(try fixture.catalog.packs().map(\.key)) == [packs[1], packs[2]])
        #expect(try fixture.catalog.forgetPacks(keys: []) == [])

        // The next deletion finishes the one left: its object goes, and the store is clean.
        #expect(try fixture.store.delete([versions[2]]).packsLeft == 0)
        #expect(try fixture.catalog.packs().isEmpty && fixture.catalog.packsToCompact().isEmpty)
        #expect(!(try fixture.store.objects.list().map(\.key)).contains(packs[1]))
    }
}
