import Foundation
import Testing
@testable import ArtifactStore
import StoreTestSupport

@Suite("Deleting and pruning")
struct StoreDeletionTests {
    /// Three versions: v0 {a, b}, v1 {a, c}, v2 {a, c, d}; every file random, 50 KB.
    private func threeVersions(_ fixture: StoreFixture) throws -> [ArtifactVersion] {
        let a = randomBytes(50_000, seed: 1)
        let b = randomBytes(50_000, seed: 2)
        let c = randomBytes(50_000, seed: 3)
        let d = randomBytes(50_000, seed: 4)
        return [
            try fixture.put(fixture.tree("t", ["a": a, "b": b])).version,
            try fixture.put(fixture.tree("t", ["a": a, "c": c])).version,
            try fixture.put(fixture.tree("t", ["a": a, "c": c, "d": d])).version,
        ]
    }

    @Test func deletingFreesExactlyTheUnsharedBytes() throws {
        let fixture = try StoreFixture()
        let versions = try threeVersions(fixture)
        let record = Int64(50_000 + PackRecordHeader.size)
        let before = try fixture.packBytes()
        let plan = try fixture.store.deletionPlan([versions[0]])
        #expect(plan.freedBytes == record)
        let done = try fixture.store.delete([versions[0]])
        #expect(done.freedBytes == plan.freedBytes)
        #expect(try fixture.packBytes() == before - record)
        // v1's files are all used by v2: nothing to free.
        #expect(try fixture.store.deletionPlan([versions[1]]).freedBytes == 0)
        // Both remaining versions still restore byte for byte.
        for version in versions.dropFirst() {
            let out = fixture.root.appendingPathComponent("out-\(version.versionName)")
            try fixture.store.download(version, to: out, cache: nil)
            #expect(try fixture.contents(of: out).count == version.fileCount)
        }
    }

    @Test func latestMovesBackAndNumbersAreNeverReused() throws {
        let fixture = try StoreFixture()
        let versions = try threeVersions(fixture)
        try fixture.store.delete([versions[2]])
        #expect(try fixture.store.version("proj/data:latest").index == 1)
        let next = try fixture.put(fixture.tree("t", ["new": [9, 9, 9]]))
        #expect(next.version.index == 3)
        #expect(throws: StoreError.self) { try fixture.store.version("proj/data:v2") }
    }

    @Test func handSetAliasesBlockDeletionUnlessAsked() throws {
        let fixture = try StoreFixture()
        let versions = try threeVersions(fixture)
        try fixture.store.addAlias("best", to: versions[0])
        let before = try fixture.packBytes()
        #expect(throws: StoreError.versionHasAliases(version: "proj/data:v0", aliases: ["best"])) {
            try fixture.store.delete([versions[0]])
        }
        #expect(try fixture.packBytes() == before)
        #expect(try fixture.store.version("proj/data:best").index == 0)
        try fixture.store.delete([versions[0]], deleteAliases: true)
        #expect(throws: StoreError.self) { try fixture.store.version("proj/data:best") }
        // `latest` never blocks a deletion.
        try fixture.store.delete([try fixture.store.version("proj/data:latest")])
        #expect(try fixture.store.version("proj/data:latest").index == 1)
    }

    @Test func pruneKeepsAliasedNewestAndKeepLast() throws {
        let fixture = try StoreFixture()
        var made: [ArtifactVersion] = []
        for index in 0..<6 {
            made.append(try fixture.put(fixture.tree("t", ["f": randomBytes(5_000, seed: UInt64(index))])).version)
        }
        try fixture.store.addAlias("prod", to: made[1])
        let plan = try fixture.store.prunePlan(project: "proj", keepLast: 2)
        #expect(plan.versions.map(\.index) == [0, 2, 3])
        #expect(plan.freedBytes == 3 * Int64(5_000 + PackRecordHeader.size))
        let done = try fixture.store.prune(project: "proj", keepLast: 2)
        #expect(done.freedBytes == plan.freedBytes)
        #expect(try fixture.store.versions(of: "proj", "data").map(\.index) == [5, 4, 1])
        let nothing = try fixture.store.prunePlan(project: "proj", artifact: "data")
        #expect(nothing.versions.map(\.index) == [4])
        #expect(throws: StoreError.invalidArgument("keep-last must be a whole number of 0 or more, got -1")) {
            try fixture.store.prune(project: "proj", keepLast: -1)
        }
    }

    @Test func packsAreCompactedToLiveChunks() throws {
        let fixture = try StoreFixture()
        let versions = try threeVersions(fixture)
        try fixture.store.delete([versions[0], versions[1]])
        let live = try fixture.store.catalog.packs()
        let onDisk = try fixture.store.objects.list().filter { $0.key.hasPrefix("packs/") }
        #expect(Set(live.map(\.key)) == Set(onDisk.map(\.key)))
        #expect(try fixture.packBytes() == 3 * Int64(50_000 + PackRecordHeader.size))
    }
}

@Suite("Aliases and edits")
struct StoreAliasTests {
    @Test func aliasMovesAndIsCaseInsensitive() throws {
        let fixture = try StoreFixture()
        let v0 = try fixture.put(fixture.tree("t", ["x": [0]])).version
        let v1 = try fixture.put(fixture.tree("t", ["x": [1]])).version
        #expect(try fixture.store.addAlias("best", to: v0) == nil)
        let moved = try fixture.store.addAlias("Best", to: v1)
        #expect(moved?.index == 0)
        #expect(try fixture.store.version("proj/data:v0").aliases.isEmpty)
        #expect(try fixture.store.version("proj/data:BEST").aliases == ["latest", "Best"])
        #expect(throws: StoreError.self) { try fixture.store.addAlias("latest", to: v0) }
        #expect(throws: StoreError.self) { try fixture.store.addAlias("v7", to: v0) }
        #expect(throws: StoreError.self) { try fixture.store.removeAlias("latest", from: v1) }
    }

    @Test func artifactHandleSavesLikeTheReference() throws {
        let fixture = try StoreFixture()
        try fixture.put(fixture.tree("t", ["x": [0]]))
        let artifact = try fixture.store.artifact("proj/data:latest")
        artifact.description = "My new description"
        artifact.metadata["oldKey"] = .string("new value")
        artifact.aliases.append("best")
        try artifact.save()
        let saved = try fixture.store.version("proj/data:best")
        #expect(saved.description == "My new description")
        #expect(saved.metadata == ["oldKey": .string("new value")])
        artifact.aliases = ["latest", "replaced"]
        try artifact.save()
        #expect(try fixture.store.version("proj/data:v0").aliases == ["latest", "replaced"])
        artifact.aliases.removeAll { $0 == "latest" }
        #expect(throws: StoreError.self) { try artifact.save() }
    }
}
