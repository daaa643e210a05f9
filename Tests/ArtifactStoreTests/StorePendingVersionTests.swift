import Foundation
import Testing
@testable import ArtifactStore
import StoreTestSupport

@Suite struct StorePendingVersionTests {
    private func draft(_ fixture: StoreFixture, _ name: String, _ files: [String: [UInt8]]) throws -> ArtifactDraft {
        var draft = ArtifactDraft(name: "parallel")
        try draft.addDirectory(fixture.tree(name, files))
        return draft
    }

    @Test func upsertsShareOnePendingVersionInvisibleUntilFinished() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.upsert(draft(fixture, "w1", ["parts/1.txt": [1]]), project: "proj", distributedID: "g1")
        try store.upsert(draft(fixture, "w2", ["parts/2.txt": [2], "shared.txt": [9]]), project: "proj", distributedID: "g1")
        try store.upsert(draft(fixture, "w3", ["shared.txt": [9]]), project: "proj", distributedID: "g1")
        #expect(try store.versions(of: "proj", "parallel").isEmpty)
        #expect(throws: StoreError.self) { try store.version("proj/parallel:latest") }
        #expect(try store.versions(of: "proj", "parallel", includePending: true).count == 1)

        let version = try store.finishPending(ArtifactDraft(name: "parallel"), project: "proj", distributedID: "g1")
        #expect(version.versionName == "v0")
        #expect(try store.files(of: version).map(\.path) == ["parts/1.txt", "parts/2.txt", "shared.txt"])
        #expect(version.digest == Store.manifestDigest(try store.files(of: version)))

        // The same id now starts a new pending version.
        let next = try store.upsert(draft(fixture, "w4", ["parts/3.txt": [3]]), project: "proj", distributedID: "g1")
        #expect(next.state == .pending && next.fileCount == 1)
    }

    @Test func samePathWithOtherContentIsRefusedNamingThePath() throws {
        let fixture = try StoreFixture()
        try fixture.store.upsert(draft(fixture, "w1", ["x.txt": [1]]), project: "proj", distributedID: "g")
        #expect(throws: StoreError.upsertConflict(artifact: "proj/parallel", distributedID: "g", path: "x.txt")) {
            try fixture.store.upsert(draft(fixture, "w2", ["x.txt": [2]]), project: "proj", distributedID: "g")
        }
    }

    @Test func discardFreesTheBytesOnlyThePendingVersionUsed() throws {
        let fixture = try StoreFixture()
        let before = try fixture.packBytes()
        let big = randomBytes(200_000, seed: 7)
        try fixture.store.upsert(draft(fixture, "w1", ["big.bin": big]), project: "proj", distributedID: "g")
        #expect(try fixture.packBytes() > before + 100_000)
        let plan = try fixture.store.discardPending(project: "proj", name: "parallel", distributedID: "g")
        #expect(plan.freedBytes > 100_000)
        #expect(try fixture.packBytes() == before)
        #expect(try fixture.store.versions(of: "proj", "parallel", includePending: true).isEmpty)
        #expect(throws: StoreError.noPendingVersion(artifact: "proj/parallel", distributedID: "g")) {
            try fixture.store.discardPending(project: "proj", name: "parallel", distributedID: "g")
        }
    }

    @Test func deletingOtherVersionsKeepsChunksAPendingVersionUses() throws {
        let fixture = try StoreFixture()
        let shared = randomBytes(50_000, seed: 3)
        let committed = try fixture.put(fixture.tree("c", ["s.bin": shared]), "proj", "other").version
        try fixture.store.upsert(draft(fixture, "w", ["s.bin": shared]), project: "proj", distributedID: "g")
        try fixture.store.delete([committed])
        let version = try fixture.store.finishPending(ArtifactDraft(name: "parallel"), project: "proj", distributedID: "g")
        let out = fixture.root.appendingPathComponent("out")
        try fixture.store.download(version, to: out, cache: nil)
        #expect(try fixture.contents(of: out)["s.bin"] == Data(shared))
    }
}
