@testable import ArtifactStore
import Foundation
import ProcessTestSupport
import StoreTestSupport
import Testing

/// The catalog's behaviour, through the store, identical on SQLite and PostgreSQL.
///
/// Each test runs once per available catalog kind on a fresh catalog (its own database on PostgreSQL).
@Suite("Catalog conformance", .blockingCalls)
struct CatalogConformanceTests {
    @Test(.enabled(if: TestDatabase.adminURL != nil, TestDatabase.skipReason))
    func postgresIsConfigured() throws {
        #expect(CatalogKind.available.contains(.postgres))
    }

    @Test(arguments: CatalogKind.available)
    func versionsAreNumberedAndUnchangedContentMakesNone(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let a = randomBytes(40_000, seed: 1)
        let first = try fixture.put(["a.bin": a])
        #expect(first.created && first.version.index == 0 && first.version.aliases == ["latest"])
        let second = try fixture.put(["a.bin": a, "b.txt": Array("hello".utf8)])
        #expect(second.version.index == 1 && second.version.fileCount == 2 && second.version.size == 40_005)
        // `a.bin` is stored once: the second version adds only the new file's record.
        #expect(second.version.addedBytes < 1_000)
        let again = try fixture.put(["b.txt": Array("hello".utf8), "a.bin": a], aliases: ["again"])
        #expect(!again.created && again.version.id == second.version.id)
        #expect(again.version.aliases == ["latest", "again"])
        #expect(try fixture.store.versionCount(of: "proj", "data") == 2)
        #expect(try fixture.store.version("proj/data:v0").aliases == [])
        #expect(try fixture.store.version("proj/data:latest").id == second.version.id)
        var oldest = first.version
        oldest.aliases = []
        #expect(try fixture.store.version(id: first.version.id) == oldest)
        #expect(try fixture.store.files(of: second.version).map(\.path) == ["a.bin", "b.txt"])

        let projects = try fixture.store.projects()
        #expect(projects.map(\.name) == ["proj"])
        #expect(projects[0].artifactCount == 1 && projects[0].versionCount == 2 && projects[0].size == 80_005)
        let artifacts = try fixture.store.artifacts(in: "proj")
        #expect(artifacts.count == 1 && artifacts[0].versionCount == 2 && artifacts[0].latestIndex == 1)
        #expect(artifacts[0].latestSize == 40_005)
        #expect(artifacts[0].storedBytes == first.version.addedBytes + second.version.addedBytes)
        #expect(try fixture.catalog.artifactType(project: "proj", name: "data") == "dataset")
        #expect(try fixture.catalog.artifactType(project: "proj", name: "none") == nil)
    }

    @Test(arguments: CatalogKind.available)
    func someChunksOfAVersionAreFoundByDigestAndOthersChunksLeftOut(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let version = try fixture.put(["a.bin": randomBytes(300_000, seed: 3), "b.txt": Array("b\n".utf8)]).version
        let other = try fixture.put(["c.bin": randomBytes(200_000, seed: 4)], "proj", "other").version
        let chunks = Array(try fixture.catalog.chunkLocations(versionID: version.id).values.joined())
        let asked = Array(chunks.prefix(2))
        let foreign = try #require(try fixture.catalog.chunkLocations(versionID: other.id).values.first?.first)
        let found = try fixture.catalog.chunkLocations(
            versionID: version.id, chunkDigests: asked.map(\.digest) + [foreign.digest, String(repeating: "0", count: 64)])
        #expect(found == Dictionary(uniqueKeysWithValues: asked.map { ($0.digest, $0) }))
        #expect(try fixture.catalog.chunkLocations(versionID: version.id, chunkDigests: []).isEmpty)
    }

    /// A manifest read a page after a path at a time walks every file once, in the byte order both
    /// catalogs sort paths in, whatever the names hold (`+`, spaces, non-ASCII, names that prefix others).
    @Test(arguments: CatalogKind.available)
    func pagesAfterAPathWalkTheManifestInByteOrder(_ kind: CatalogKind) throws {
        let names = ["a", "a b", "a+b", "a/b", "ab", "B", "é", "z/é/1", "Ω"]
        let fixture = try ConformanceFixture(kind)
        let version = try fixture.put(Dictionary(uniqueKeysWithValues: names.map { ($0 == "a" ? "a0" : $0, Array($0.utf8)) })).version
        let whole = try fixture.catalog.manifest(versionID: version.id, offset: 0, limit: 100)
        #expect(whole.map(\.path) == whole.map(\.path).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        var paged: [ManifestEntry] = []
        var after: String?
        while true {
            let page = try fixture.catalog.manifest(versionID: version.id, after: after, offset: 0, limit: 2)
            paged += page
            guard page.count == 2, let last = page.last?.path else { break }
            after = last
        }
        #expect(paged == whole)
    }

    /// What a page of a manifest names is read in one go: each asked content's chunks, in order, as the
    /// whole version's lists give them; an empty content and an unknown digest are left out.
    @Test(arguments: CatalogKind.available)
    func theChunkListsOfSomeContentsAreThoseOfTheWholeVersion(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let version = try fixture.put([
            "a.bin": randomBytes(300_000, seed: 5), "b.bin": randomBytes(200_000, seed: 6), "c.txt": Array("c\n".utf8),
            "empty": [],
        ]).version
        let whole = try fixture.catalog.chunkLocations(versionID: version.id)
        let files = try fixture.store.files(of: version)
        let asked = files.filter { $0.path != "b.bin" }.map(\.digest)
        let lists = try fixture.catalog.chunkLocations(contentDigests: asked + [asked[0], String(repeating: "0", count: 64)])
        #expect(lists == whole.filter { digest, _ in asked.contains(digest) })
        #expect(lists.count == 2, "a.bin and c.txt; the empty file has no chunks")
        #expect(try fixture.catalog.chunkLocations(contentDigests: []).isEmpty)
    }

    @Test(arguments: CatalogKind.available)
    func lookupsFailWithTheSameErrors(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        try fixture.put(["f": [1, 2, 3]])
        #expect(throws: StoreError.projectNotFound(project: "nope")) { try fixture.store.version("nope/data:latest") }
        #expect(throws: StoreError.artifactNotFound(project: "proj", name: "nope")) {
            try fixture.store.version("proj/nope:v0")
        }
        #expect(throws: StoreError.versionNotFound(artifact: "proj/data", reference: "v7")) {
            try fixture.store.version("proj/data:v7")
        }
        #expect(throws: StoreError.typeMismatch(artifact: "proj/data", existing: "dataset", requested: "model")) {
            try fixture.put(["g": [4]], type: "model")
        }
        #expect(throws: StoreError.versionNotFound(artifact: "#999999", reference: "id 999999")) {
            try fixture.store.version(id: 999_999)
        }
        #expect(throws: StoreError.projectNotFound(project: "nope")) { try fixture.store.artifacts(in: "nope") }
    }

    @Test(arguments: CatalogKind.available)
    func aliasesMoveAndAreUniquePerArtifact(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let v0 = try fixture.put(["f": [0]], aliases: ["best"]).version
        let v1 = try fixture.put(["f": [1]], aliases: ["best"]).version
        #expect(try fixture.store.version(id: v0.id).aliases == [])
        #expect(v1.aliases == ["latest", "best"])
        // Another artifact may hold the same alias.
        let other = try fixture.put(["f": [2]], "proj", "other", aliases: ["best"]).version
        #expect(other.aliases == ["latest", "best"])
        // Moving by hand returns where it came from; names are unique without regard to case.
        let moved = try fixture.store.addAlias("BEST", to: v0)
        #expect(moved?.id == v1.id)
        #expect(try fixture.store.version(id: v0.id).aliases == ["BEST"])
        #expect(try fixture.store.version(id: v1.id).aliases == ["latest"])
        #expect(try fixture.store.holder(of: "best", in: "proj", "data")?.id == v0.id)
        #expect(try fixture.store.version("proj/other:best").id == other.id)
        #expect(try fixture.store.addAlias("BEST", to: v0) == nil)
        try fixture.store.removeAlias("best", from: try fixture.store.version(id: v0.id))
        #expect(try fixture.store.holder(of: "best", in: "proj", "data") == nil)
        #expect(throws: StoreError.aliasNotFound(artifact: "proj/data:v0", alias: "best")) {
            try fixture.store.removeAlias("best", from: v0)
        }
        #expect(throws: StoreError.self) { try fixture.store.removeAlias("latest", from: v1) }
        #expect(throws: StoreError.self) { try fixture.store.addAlias("latest", to: v0) }
        // `latest` follows the newest version by itself.
        let v2 = try fixture.put(["f": [3]]).version
        #expect(try fixture.store.version(id: v1.id).aliases == [])
        #expect(try fixture.store.version("proj/data:latest").id == v2.id)
    }

    @Test(arguments: CatalogKind.available)
    func descriptionAndMetadataEditsAreKept(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        var draft = ArtifactDraft(name: "data", type: "dataset", description: "first", metadata: ["lr": .double(0.5)])
        try draft.addDirectory(fixture.tree("t", ["f": [1, 2]]))
        let version = try fixture.store.log(draft, project: "proj").version
        #expect(version.description == "first" && version.metadata == ["lr": .double(0.5)])
        let metadata: [String: JSONValue] = [
            "epochs": .int(3), "loss": .double(0.25), "tags": .array([.string("a"), .bool(true), .null]),
            "nested": .object(["k": .string("v/ü")]),
        ]
        try fixture.store.update(version, description: "second", metadata: metadata)
        var read = try fixture.store.version(id: version.id)
        #expect(read.description == "second" && read.metadata == metadata)
        try fixture.store.update(read, description: "third")
        read = try fixture.store.version(id: version.id)
        #expect(read.description == "third" && read.metadata == metadata)
        let artifact = try fixture.store.artifact("proj/data:v0")
        artifact.metadata = [:]
        artifact.aliases.append("kept")
        try artifact.save()
        read = try fixture.store.version(id: version.id)
        #expect(read.metadata == [:] && read.aliases == ["latest", "kept"])
    }

    /// v0 {a, b}, v1 {a, c}, v2 {a, c, d}; every file random, 50 KB.
    private func threeVersions(_ fixture: ConformanceFixture) throws -> [ArtifactVersion] {
        let (a, b, c, d) = (randomBytes(50_000, seed: 11), randomBytes(50_000, seed: 12),
                            randomBytes(50_000, seed: 13), randomBytes(50_000, seed: 14))
        return [
            try fixture.put(["a": a, "b": b]).version,
            try fixture.put(["a": a, "c": c]).version,
            try fixture.put(["a": a, "c": c, "d": d]).version,
        ]
    }

    @Test(arguments: CatalogKind.available)
    func deletionFreesExactlyWhatItsPlanSays(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let versions = try threeVersions(fixture)
        let before = try fixture.packBytes()
        let plan = try fixture.store.deletionPlan([versions[0]])
        #expect(plan.freedChunks == 1 && plan.freedBytes > 50_000 && plan.freedBytes < 50_100)
        #expect(plan.versions.map(\.id) == [versions[0].id])
        let done = try fixture.store.delete([versions[0]])
        #expect(done.freedBytes == plan.freedBytes && done.freedChunks == plan.freedChunks)
        #expect(try fixture.packBytes() == before - plan.freedBytes)
        #expect(try fixture.store.deletionPlan([versions[1]]).freedBytes == 0)
        // The catalog's packs are exactly those in the object store, with their sizes.
        let listed = try fixture.store.objects.list().filter { $0.key.hasPrefix("packs/") }.sorted { $0.key < $1.key }
        #expect(try fixture.catalog.packs() == listed)
        // Deleting the newest moves `latest` back; numbers are never reused.
        try fixture.store.delete([versions[2]])
        #expect(try fixture.store.version("proj/data:latest").index == 1)
        #expect(try fixture.put(["new": [9, 9]]).version.index == 3)
        #expect(throws: StoreError.self) { try fixture.store.version("proj/data:v2") }
        // A deleted version cannot be deleted again; an unknown id is refused; nothing changes.
        #expect(throws: StoreError.versionNotFound(artifact: "proj/data", reference: "v0")) {
            try fixture.store.delete([versions[0]])
        }
        #expect(throws: StoreError.versionNotFound(artifact: "#424242", reference: "id 424242")) {
            try fixture.catalog.delete(versionIDs: [versions[1].id, 424_242], deleteAliases: true)
        }
        #expect(try fixture.store.version(id: versions[1].id).state == .committed)
        #expect(try fixture.store.version(id: versions[0].id).state == .deleted)
        for version in [versions[1]] {
            let out = fixture.root.appendingPathComponent("out-\(version.versionName)")
            try fixture.store.download(version, to: out, cache: nil)
            #expect(try fixture.contents(of: out).count == version.fileCount)
        }
    }

    @Test(arguments: CatalogKind.available)
    func handSetAliasesBlockDeletionUnlessAsked(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let versions = try threeVersions(fixture)
        try fixture.store.addAlias("best", to: versions[0])
        let before = try fixture.packBytes()
        #expect(throws: StoreError.versionHasAliases(version: "proj/data:v0", aliases: ["best"])) {
            try fixture.store.delete([versions[0], versions[1]])
        }
        #expect(try fixture.packBytes() == before)
        #expect(try fixture.store.version(id: versions[1].id).state == .committed)
        try fixture.store.delete([versions[0]], deleteAliases: true)
        #expect(throws: StoreError.self) { try fixture.store.version("proj/data:best") }
        try fixture.store.delete([try fixture.store.version("proj/data:latest")])
        #expect(try fixture.store.version("proj/data:latest").index == 1)
    }

    @Test(arguments: CatalogKind.available)
    func pruneKeepsAliasedAndNewest(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        var made: [ArtifactVersion] = []
        for index in 0..<6 { made.append(try fixture.put(["f": randomBytes(5_000, seed: UInt64(100 + index))]).version) }
        try fixture.store.addAlias("prod", to: made[1])
        let before = try fixture.packBytes()
        let plan = try fixture.store.prunePlan(project: "proj", keepLast: 2)
        #expect(plan.versions.map(\.index) == [0, 2, 3])
        let done = try fixture.store.prune(project: "proj", keepLast: 2)
        #expect(done.freedBytes == plan.freedBytes)
        #expect(try fixture.packBytes() == before - plan.freedBytes)
        #expect(try fixture.store.versions(of: "proj", "data").map(\.index) == [5, 4, 1])
    }

    @Test(arguments: CatalogKind.available)
    func pendingVersionsCollectWritersUntilFinishedOrDiscarded(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let store = fixture.store
        var one = ArtifactDraft(name: "shards", type: "dataset")
        try one.addData(Data(randomBytes(30_000, seed: 21)), as: "part-0")
        var two = ArtifactDraft(name: "shards", type: "dataset")
        try two.addData(Data(randomBytes(30_000, seed: 22)), as: "part-1")
        try store.upsert(one, project: "proj", distributedID: "job-1")
        let pending = try store.upsert(two, project: "proj", distributedID: "job-1")
        #expect(pending.state == .pending && pending.index == nil && pending.fileCount == 2 && pending.size == 60_000)
        // The same path with the same content is fine; with other content it is refused.
        try store.upsert(one, project: "proj", distributedID: "job-1")
        var clash = ArtifactDraft(name: "shards", type: "dataset")
        try clash.addData(Data([1, 2, 3]), as: "part-0")
        #expect(throws: StoreError.upsertConflict(artifact: "proj/shards", distributedID: "job-1", path: "part-0")) {
            try store.upsert(clash, project: "proj", distributedID: "job-1")
        }
        #expect(try store.versions(of: "proj", "shards").isEmpty)
        #expect(try store.versions(of: "proj", "shards", includePending: true).map(\.id) == [pending.id])
        #expect(throws: StoreError.self) { try store.version("proj/shards:latest") }
        let finished = try store.finishPending(
            ArtifactDraft(name: "shards", type: "dataset"), project: "proj", distributedID: "job-1")
        #expect(finished.index == 0 && finished.state == .committed && finished.aliases == ["latest"])
        #expect(finished.digest == Store.manifestDigest(try store.files(of: finished)))
        #expect(throws: StoreError.noPendingVersion(artifact: "proj/shards", distributedID: "job-1")) {
            try store.finishPending(ArtifactDraft(name: "shards", type: "dataset"), project: "proj", distributedID: "job-1")
        }
        // A discarded pending version frees exactly the bytes only it used.
        var lone = ArtifactDraft(name: "shards", type: "dataset")
        try lone.addData(Data(randomBytes(20_000, seed: 23)), as: "part-9")
        try lone.addData(Data(randomBytes(30_000, seed: 21)), as: "part-0")
        try store.upsert(lone, project: "proj", distributedID: "job-2")
        let before = try fixture.packBytes()
        let freed = try store.discardPending(project: "proj", name: "shards", distributedID: "job-2")
        #expect(freed.freedChunks == 1 && freed.freedBytes > 20_000 && freed.freedBytes < 20_100)
        #expect(try fixture.packBytes() == before - freed.freedBytes)
        #expect(try store.versions(of: "proj", "shards", includePending: true).map(\.index) == [0])
    }

    @Test(arguments: CatalogKind.available)
    func runsRecordUsesAndLineageBothWays(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let store = fixture.store
        let prep = try store.startRun(project: "proj", id: "prep-1", name: "prep", group: "g1", sweep: "s1",
                                      config: ["seed": .int(7)])
        let dataset = try fixture.put(["rows.csv": Array("a,b\n1,2\n".utf8)], run: prep).version
        let train = try store.startRun(project: "proj", id: "train-1", name: "train", jobType: "train", sweep: "s1")
        try train.useArtifact(dataset)
        try train.useArtifact(dataset)
        let model = try fixture.put(["w.bin": randomBytes(10_000, seed: 31)], "proj", "model", type: "model", run: train)
            .version
        let eval = try store.startRun(project: "proj", id: "eval-1", name: "eval", group: "g1", jobType: "eval")
        try eval.useArtifact("proj/model:latest")
        try eval.log(["acc": .double(0.9)])
        try eval.log(["loss": .double(0.1)])
        try eval.finish()

        #expect(try store.loggedBy(model)?.id == "train-1")
        #expect(try store.usedBy(dataset).map(\.id) == ["train-1"])
        #expect(try train.usedArtifacts().map(\.id) == [dataset.id])
        #expect(try train.loggedArtifacts().map(\.id) == [model.id])
        #expect(try store.usedBy(model).map(\.id) == ["eval-1"])
        let finished = try store.run(id: "eval-1").record
        #expect(finished.state == .finished && finished.finishedAt != nil)
        #expect(finished.summary == ["acc": .double(0.9), "loss": .double(0.1)])
        #expect(try store.run(id: "prep-1").record.config == ["seed": .int(7)])
        #expect(try store.runs(in: "proj").map(\.id) == ["prep-1", "train-1", "eval-1"])
        #expect(try store.runs(in: "proj", sweep: "s1").map(\.id) == ["prep-1", "train-1"])
        #expect(try store.runs(in: "proj", group: "g1").map(\.id) == ["prep-1", "eval-1"])
        #expect(try store.runs(in: "proj", sweep: "s1", group: "g1").map(\.id) == ["prep-1"])

        let graph = try store.lineage(of: model, upstream: 3, downstream: 3)
        let keys = Set(graph.nodes.map(\.key))
        #expect(keys == ["run:prep-1", "artifact:proj/data:v0", "run:train-1", "artifact:proj/model:v0", "run:eval-1"])
        #expect(Set(graph.edges.map { "\($0.from)>\($0.to)" }) == [
            "run:prep-1>artifact:proj/data:v0", "artifact:proj/data:v0>run:train-1",
            "run:train-1>artifact:proj/model:v0", "artifact:proj/model:v0>run:eval-1",
        ])
        // A deleted version stays in lineage as a tombstone.
        try store.delete([dataset])
        #expect(try train.usedArtifacts().map(\.state) == [.deleted])
        #expect(try prep.loggedArtifacts().map(\.state) == [.deleted])

        #expect(throws: StoreError.runExists(id: "eval-1")) { try store.startRun(project: "proj", id: "eval-1") }
        #expect(throws: StoreError.runNotFound(id: "nope")) { try store.startRun(project: "proj", id: "nope", resume: .must) }
        let resumed = try store.startRun(project: "proj", id: "eval-1", resume: .allow)
        #expect(resumed.record.state == .running && resumed.record.finishedAt == nil)
        #expect(resumed.record.summary == finished.summary)
        #expect(throws: StoreError.runNotFound(id: "ghost")) { try store.run(id: "ghost") }
        #expect(throws: StoreError.self) { try eval.useArtifact(dataset) }
    }

    @Test(arguments: CatalogKind.available)
    func listingPagesAndPositions(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        for index in 0..<12 { try fixture.put(["f": [UInt8(index)]]) }
        try fixture.put(["x": [1]], "proj", "b-model", type: "model")
        try fixture.put(["x": [1]], "proj", "a-model", type: "model")
        try fixture.put(["x": [1]], "other", "z")
        let store = fixture.store
        #expect(try store.versions(of: "proj", "data", offset: 0, limit: 5).map(\.index) == [11, 10, 9, 8, 7])
        #expect(try store.versions(of: "proj", "data", offset: 10, limit: 5).map(\.index) == [1, 0])
        #expect(try store.versions(of: "proj", "data", offset: 20, limit: 5).isEmpty)
        #expect(try store.position(ofVersion: 11, in: "proj", "data") == 0)
        #expect(try store.position(ofVersion: 3, in: "proj", "data") == 8)
        #expect(try store.position(ofVersion: 12, in: "proj", "data") == nil)
        try store.delete([try store.version("proj/data:v5")])
        #expect(try store.position(ofVersion: 5, in: "proj", "data") == nil)
        #expect(try store.position(ofVersion: 3, in: "proj", "data") == 7)
        #expect(try store.artifacts(in: "proj").map(\.name) == ["data", "a-model", "b-model"])
        #expect(try store.projects().map(\.name) == ["other", "proj"])
        var draft = ArtifactDraft(name: "tree", type: "dataset")
        for name in ["b", "a/z", "a/b", "B", "_x", "a.txt"] { try draft.addData(Data(name.utf8), as: name) }
        let tree = try store.log(draft, project: "proj").version
        // Byte order, as the manifest digest sorts.
        #expect(try store.files(of: tree).map(\.path) == ["B", "_x", "a.txt", "a/b", "a/z", "b"])
        #expect(try store.files(of: tree, offset: 2, limit: 2).map(\.path) == ["a.txt", "a/b"])
    }

    @Test(arguments: CatalogKind.available)
    func restoresByteForByte(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let big = randomBytes(3_000_000, seed: 41)
        var edited = big
        edited.replaceSubrange(1_000_000..<1_000_100, with: [UInt8](repeating: 7, count: 100))
        let files: [String: [UInt8]] = [
            "big.bin": big, "empty": [], "dir/text.txt": Array(String(repeating: "row,1\n", count: 5_000).utf8),
        ]
        let first = try fixture.put(files).version
        var changed = files
        changed["big.bin"] = edited
        let second = try fixture.put(changed).version
        // The second version adds exactly the chunk records the first did not have, fewer than the file's.
        let before = try fixture.catalog.chunkLocations(versionID: first.id)
        let after = try fixture.catalog.chunkLocations(versionID: second.id)
        let known = Set(before.values.joined().map(\.digest))
        let fresh = Dictionary(after.values.joined().filter { !known.contains($0.digest) }.map { ($0.digest, $0) },
                               uniquingKeysWith: { first, _ in first })
        #expect(second.addedBytes == fresh.values.reduce(0) { $0 + $1.location.storedLength })
        #expect(second.addedBytes > 0 && second.addedBytes < first.addedBytes)
        // The empty file has no chunks: only the two other contents are listed.
        #expect(after.count == 2)
        // A writer's quick test of what the store has: the first 64 bits of every chunk digest.
        let allChunks = before.values.joined().map(\.digest) + after.values.joined().map(\.digest)
        #expect(try fixture.catalog.chunkDigestPrefixes() == Set(allChunks.map { UInt64($0.prefix(16), radix: 16)! }))
        for (version, expected) in [(first, files), (second, changed)] {
            let out = fixture.root.appendingPathComponent("out-\(version.index!)")
            try fixture.store.download(version, to: out, cache: nil)
            #expect(try fixture.contents(of: out) == expected.mapValues { Data($0) })
        }
        let manifest = try fixture.store.files(of: second)
        let big2 = try #require(manifest.first { $0.path == "big.bin" })
        let chunks = try fixture.catalog.chunkLocations(contentDigest: big2.digest)
        #expect(chunks.reduce(0) { $0 + $1.location.rawLength } == 3_000_000)
        #expect(try fixture.catalog.chunkLocations(contentDigest: String(repeating: "0", count: 64)).isEmpty)
    }

    @Test(arguments: CatalogKind.available)
    func verifyFindsTheStoreCleanThenAMissingPack(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let v0 = try fixture.put(["a": randomBytes(20_000, seed: 51)]).version
        let v1 = try fixture.put(["b": randomBytes(20_000, seed: 52)]).version
        var verifier = StoreVerifier(store: fixture.store)
        verifier.readData = true
        let clean = try verifier.verify(.store)
        #expect(clean.isClean && clean.versionsChecked == 2 && clean.reclaimable.isEmpty)
        // Lose the pack holding v1's chunk: verify names it and the version, and repair marks it damaged.
        let pack = try #require(fixture.catalog.chunkLocations(versionID: v1.id).values.first?.first).location.packKey
        try fixture.store.objects.delete(key: pack)
        let report = try verifier.verify(.store)
        #expect(report.problems.map(\.kind) == [.packMissing])
        #expect(report.damagedVersions == ["proj/data:v1"])
        _ = try verifier.repair(report, scope: .store)
        #expect(try fixture.store.version(id: v1.id).damage != nil)
        #expect(try fixture.store.version(id: v0.id).damage == nil)
    }

    @Test(arguments: CatalogKind.available)
    func aFailedCommitLeavesNothingBehind(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        try fixture.put(["f": [1]])
        let digest = String(repeating: "ab", count: 32)
        let location = ChunkLocation(packKey: "packs/elsewhere", offset: 0, storedLength: 60, rawLength: 12, compression: .none)
        let commit = VersionCommit(
            project: "fresh", name: "half", type: "dataset", description: "", metadata: [:], aliases: ["best"],
            producerRunID: nil, digest: String(repeating: "cd", count: 32),
            files: [ManifestEntry(path: "x", digest: digest, size: 12)],
            contents: [ContentRecord(digest: digest, size: 12, chunks: [digest])],
            newChunks: [StoredChunk(digest: digest, location: location)],
            packs: [ObjectInfo(key: "packs/this-commit", size: 60)])
        // The chunk names a pack the commit did not write: refused after the project, artifact and pack
        // rows were written, all of which the transaction takes back.
        #expect(throws: StoreError.catalog("chunk \(digest) names pack packs/elsewhere not in this commit")) {
            try fixture.catalog.commit(commit)
        }
        #expect(try fixture.store.projects().map(\.name) == ["proj"])
        #expect(try !fixture.catalog.packs().contains { $0.key == "packs/this-commit" })
        #expect(try fixture.catalog.chunkDigestPrefixes().count == 1)
    }
}
