import Foundation
import GRDB
import Testing
@testable import ArtifactStore
import StoreTestSupport

@Suite("Reference entries in the store")
struct StoreReferenceTests {
    @Test func checksumTextRoundTrips() {
        for checksum: ReferenceChecksum in [.sha256("ab12"), .md5("1B2M2Y8AsgTpgAmY7PhCfg=="), .etag("x-1"),
                                            .unchecked(uri: "s3://b/k")] {
            #expect(ReferenceChecksum(digest: checksum.description) == checksum)
        }
        #expect(ReferenceChecksum.etag(header: "\"abc\"") == .etag("abc"))
    }

    @Test func aReferenceDiffersFromAStoredFileOfTheSameContentAndFromOtherURIs() {
        let stored = ManifestEntry(path: "a", digest: "ab", size: 1)
        let here = ManifestEntry(path: "a", digest: "sha256:ab", size: 1, reference: FileReference(uri: "file:///x/a"))
        let there = ManifestEntry(path: "a", digest: "sha256:ab", size: 1, reference: FileReference(uri: "file:///y/a"))
        let digests = Set([stored, here, there].map { Store.manifestDigest([$0]) })
        #expect(digests.count == 3)
        var versioned = here
        versioned.reference?.objectVersion = "v2"
        #expect(Store.manifestDigest([versioned]) != Store.manifestDigest([here]))
    }

    @Test func deletingAVersionRemovesItsReferenceRowsAndVerifyStaysClean() throws {
        let fixture = try StoreFixture()
        let shared = try fixture.tree("shared", ["x.bin": randomBytes(1000, seed: 7)])
        var draft = ArtifactDraft(name: "refs")
        try draft.addReferences(LocalFileSource().list("file://\(shared.path)", checksum: true, maxObjects: 10))
        let logged = try fixture.store.log(draft, project: "proj").version
        #expect(logged.fileCount == 1 && logged.size == 1000 && logged.addedBytes == 0)
        var verifier = StoreVerifier(store: fixture.store)
        verifier.references = .local
        let report = try verifier.verify(.store)
        #expect(report.isClean && report.referencesChecked == 1, "\(report.problems)")

        try fixture.store.delete([logged])
        let catalog = try #require(fixture.store.catalog as? SQLiteCatalog)
        let rows = try DatabaseQueue(path: catalog.path).read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM file_reference")
        }
        #expect(rows == 0)
        #expect(try StoreVerifier(store: fixture.store).verify(.store).isClean)
    }

    @Test func aPathTakenByAStoredFileCannotAlsoBeAReference() throws {
        let fixture = try StoreFixture()
        let tree = try fixture.tree("t", ["x.bin": [1, 2, 3]])
        var draft = ArtifactDraft(name: "mixed")
        try draft.addDirectory(tree)
        let reference = try LocalFileSource().list("file://\(tree.path)", checksum: true, maxObjects: 10)
        #expect(throws: StoreError.conflictingPath(path: "x.bin")) { try draft.addReferences(reference) }
    }
}
