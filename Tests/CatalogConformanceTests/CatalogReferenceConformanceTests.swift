@testable import ArtifactStore
import Foundation
import ProcessTestSupport
import StoreTestSupport
import Testing

/// Reference entries (`put --reference`) through the store, identical on SQLite and PostgreSQL.
@Suite("Catalog conformance: reference entries", .blockingCalls)
struct CatalogReferenceConformanceTests {
    /// Reference entries for every file under a directory the fixture writes, checksummed.
    private func references(_ fixture: ConformanceFixture, _ name: String, _ files: [String: [UInt8]]) throws
        -> [ManifestEntry]
    {
        let directory = try fixture.tree(name, files)
        return try LocalFileSource().list("file://\(directory.path)", checksum: true, maxObjects: 10)
    }

    @Test(arguments: CatalogKind.available)
    func aVersionMixingStoredFilesAndReferencesRoundTrips(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let stored: [String: [UInt8]] = ["a.bin": randomBytes(30_000, seed: 61), "w.txt": Array("stored".utf8)]
        let referenced: [String: [UInt8]] = ["x.bin": randomBytes(1_000, seed: 62), "sub/y.txt": Array("far".utf8)]
        let listed = try references(fixture, "shared", referenced)
        var draft = ArtifactDraft(name: "mixed")
        try draft.addDirectory(fixture.tree("local", stored))
        try draft.addReferences(listed)
        let logged = try fixture.store.log(draft, project: "proj")
        let version = logged.version
        #expect(logged.created && version.fileCount == 4 && version.size == 30_000 + 6 + 1_000 + 3)
        #expect(version.addedBytes > 0)

        // The manifest interleaves both kinds in path order; references keep their URI and checksum.
        let manifest = try fixture.store.files(of: version)
        #expect(manifest.map(\.path) == ["a.bin", "sub/y.txt", "w.txt", "x.bin"])
        #expect(manifest.filter(\.isStored).map(\.path) == ["a.bin", "w.txt"])
        #expect(manifest.filter { !$0.isStored } == listed.sorted { $0.path < $1.path })
        let x = try #require(manifest.first { $0.path == "x.bin" })
        #expect(x.digest.hasPrefix("sha256:") && x.size == 1_000 && x.reference?.uri.hasPrefix("file://") == true)
        #expect(x.reference?.objectVersion == nil)
        // Pages of the manifest cross from one kind to the other.
        #expect(try fixture.catalog.manifest(versionID: version.id, offset: 1, limit: 2) == Array(manifest[1...2]))
        // Pages after a path (what the server's paged manifest reads) cross too, and end after the last.
        #expect(try fixture.catalog.manifest(versionID: version.id, after: "a.bin", offset: 0, limit: 2) == Array(manifest[1...2]))
        #expect(try fixture.catalog.manifest(versionID: version.id, after: "w.txt", offset: 0, limit: 5) == [manifest[3]])
        #expect(try fixture.catalog.manifest(versionID: version.id, after: "x.bin", offset: 0, limit: 5).isEmpty)
        #expect(try fixture.store.version("proj/mixed:latest") == version)

        // The same content again is the same version.
        var again = ArtifactDraft(name: "mixed")
        try again.addDirectory(fixture.tree("local", stored))
        try again.addReferences(listed)
        let unchanged = try fixture.store.log(again, project: "proj")
        #expect(!unchanged.created && unchanged.version.id == version.id)

        // Restore writes stored files from packs and fetches references from their files.
        let out = fixture.root.appendingPathComponent("out")
        let report = try fixture.store.download(version, to: out, cache: nil)
        #expect(report.files == 4 && report.fromReferences == 2 && report.fromStore == 2)
        #expect(try fixture.contents(of: out) == stored.merging(referenced) { a, _ in a }.mapValues { Data($0) })

        var verifier = StoreVerifier(store: fixture.store)
        verifier.readData = true
        verifier.references = .local
        let clean = try verifier.verify(.store)
        #expect(clean.isClean && clean.versionsChecked == 1 && clean.referencesChecked == 2, "\(clean.problems)")

        // Deletion takes the reference rows with the file rows; the store stays consistent.
        try fixture.store.delete([version])
        #expect(try fixture.store.version(id: version.id).state == .deleted)
        #expect(try fixture.catalog.manifest(versionID: version.id, offset: 0, limit: 10).isEmpty)
        let after = try StoreVerifier(store: fixture.store).verify(.store)
        #expect(after.isClean, "\(after.problems)")
    }

    @Test(arguments: CatalogKind.available)
    func aReferenceOnlyVersionCostsNoPack(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        try fixture.put(["f": randomBytes(5_000, seed: 63)])
        let (packs, bytes) = (try fixture.catalog.packs().count, try fixture.packBytes())
        var draft = ArtifactDraft(name: "refs")
        try draft.addReferences(references(fixture, "far", ["big.bin": randomBytes(200_000, seed: 64)]))
        let version = try fixture.store.log(draft, project: "proj").version
        #expect(version.fileCount == 1 && version.size == 200_000 && version.addedBytes == 0)
        #expect(try fixture.catalog.packs().count == packs && fixture.packBytes() == bytes)
        #expect(try fixture.catalog.chunkLocations(versionID: version.id).isEmpty)
        let entry = try #require(try fixture.store.files(of: version).first)
        #expect(entry.path == "big.bin" && !entry.isStored && entry.digest.hasPrefix("sha256:"))

        let out = fixture.root.appendingPathComponent("out")
        let report = try fixture.store.download(version, to: out, cache: nil)
        #expect(report.fromReferences == 1 && report.fromStore == 0)
        #expect(try fixture.contents(of: out) == ["big.bin": Data(randomBytes(200_000, seed: 64))])
        try fixture.store.delete([version])
        #expect(try fixture.catalog.manifest(versionID: version.id, offset: 0, limit: 10).isEmpty)
        #expect(try StoreVerifier(store: fixture.store).verify(.store).isClean)
    }
}
