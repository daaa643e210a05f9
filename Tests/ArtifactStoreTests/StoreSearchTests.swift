import Foundation
import Testing
@testable import ArtifactStore
import GRDB

/// `Store.find`: expressions compiled to SQL over the catalog's flattened metadata keys.
@Suite("store search")
struct StoreSearchTests {
    /// Five versions across two artifacts and two projects, each with distinct metadata.
    private func populated() throws -> StoreFixture {
        let fixture = try StoreFixture()
        let versions: [(String, String, String, [String: JSONValue], Int)] = [
            ("vision", "resnet", "model", ["acc": .double(0.91), "train": .object(["lr": .double(0.01)]),
                                           "tags": .array([.string("baseline"), .int(3)]), "final": .bool(true)], 100),
            ("vision", "resnet", "model", ["acc": .double(0.95), "train": .object(["lr": .double(0.001)]),
                                           "tags": .array([.string("tuned")]), "final": .bool(false)], 3000),
            ("vision", "mnist", "dataset", ["acc": .string("n/a"), "note": .string("hand labelled set"),
                                            "learning rate": .int(5)], 10),
            ("audio", "wav2vec", "model", ["acc": .int(1), "note": .null], 50_000),
            ("audio", "wav2vec", "model", [:], 20),
        ]
        for (index, (project, name, type, metadata, size)) in versions.enumerated() {
            var draft = ArtifactDraft(name: name, type: type, metadata: metadata)
            try draft.addData(Data(repeating: UInt8(index), count: size), as: "payload.bin")
            try fixture.store.log(draft, project: project)
        }
        return fixture
    }

    private func names(_ fixture: StoreFixture, _ expressions: [String], project: String? = nil) throws -> [String] {
        try fixture.store.find(VersionQuery(
            project: project, conditions: expressions.map(QueryParser.parse),
            sort: VersionSortKey(field: .name, descending: false))).map(\.qualifiedName)
    }

    @Test("comparisons on numbers skip strings and missing keys; != too")
    func numericComparisons() throws {
        let fixture = try populated()
        #expect(try names(fixture, ["acc > 0.92"]) == ["audio/wav2vec:v0", "vision/resnet:v1"])
        #expect(try names(fixture, ["acc >= 0.91", "acc < 1"]) == ["vision/resnet:v0", "vision/resnet:v1"])
        #expect(try names(fixture, ["acc <= 0.91"]) == ["vision/resnet:v0"])
        #expect(try names(fixture, ["acc = 1"]) == ["audio/wav2vec:v0"])
        #expect(try names(fixture, ["acc != 1"]) == ["vision/resnet:v0", "vision/resnet:v1"])
        #expect(try names(fixture, ["not acc = 1"]) == [
            "audio/wav2vec:v1", "vision/mnist:v0", "vision/resnet:v0", "vision/resnet:v1"])
        #expect(try names(fixture, ["train.lr < 0.005"]) == ["vision/resnet:v1"])
        #expect(try names(fixture, ["metadata.\"learning rate\" = 5"]) == ["vision/mnist:v0"])
    }

    @Test("strings, booleans, null, contains and exists")
    func otherValues() throws {
        let fixture = try populated()
        #expect(try names(fixture, [#"acc = "n/a""#]) == ["vision/mnist:v0"])
        #expect(try names(fixture, ["final = true"]) == ["vision/resnet:v0"])
        #expect(try names(fixture, ["final != true"]) == ["vision/resnet:v1"])
        #expect(try names(fixture, ["note = null"]) == ["audio/wav2vec:v0"])
        #expect(try names(fixture, ["note exists"]) == ["audio/wav2vec:v0", "vision/mnist:v0"])
        #expect(try names(fixture, [#"note contains "labelled""#]) == ["vision/mnist:v0"])
        #expect(try names(fixture, [#"tags contains "tuned""#]) == ["vision/resnet:v1"])
        #expect(try names(fixture, ["tags contains 3"]) == ["vision/resnet:v0"])
        #expect(try names(fixture, ["train exists and not tags contains 3"]) == ["vision/resnet:v1"])
    }

    @Test("and, or, not and parentheses combine as written")
    func logic() throws {
        let fixture = try populated()
        #expect(try names(fixture, ["final = true or acc = 1 and note exists"]) == ["audio/wav2vec:v0", "vision/resnet:v0"])
        #expect(try names(fixture, ["(final = true or acc = 1) and note exists"]) == ["audio/wav2vec:v0"])
        #expect(try names(fixture, ["not (acc exists)"]) == ["audio/wav2vec:v1"])
    }

    @Test("size, files and created, with units and dates")
    func builtIns() throws {
        let fixture = try populated()
        #expect(try names(fixture, ["size > 2KB"]) == ["audio/wav2vec:v0", "vision/resnet:v1"])
        #expect(try names(fixture, ["size > 2.5KiB and size < 40KiB"]) == ["vision/resnet:v1"])
        #expect(try names(fixture, ["files = 1"]).count == 5)
        #expect(try names(fixture, ["created > 2000-01-01"]).count == 5)
        #expect(try names(fixture, ["created < 2000-01-01T00:00:00Z"]).isEmpty)
    }

    @Test("project, type, alias, dates, sort and limit filters")
    func filters() throws {
        let fixture = try populated()
        let store = fixture.store
        #expect(try names(fixture, ["acc exists"], project: "audio") == ["audio/wav2vec:v0"])
        #expect(try store.find(VersionQuery(type: "dataset")).map(\.qualifiedName) == ["vision/mnist:v0"])
        let latest = try store.find(VersionQuery(alias: "latest", sort: VersionSortKey(field: .name, descending: false)))
        #expect(latest.map(\.qualifiedName) == ["audio/wav2vec:v1", "vision/mnist:v0", "vision/resnet:v1"])
        try store.addAlias("best", to: try store.version("vision/resnet:v0"))
        #expect(try store.find(VersionQuery(alias: "BEST")).map(\.qualifiedName) == ["vision/resnet:v0"])
        let bySize = try store.find(VersionQuery(sort: VersionSortKey(field: .field(.size), descending: true), limit: 2))
        #expect(bySize.map(\.size) == [50_000, 3000])
        let byAcc = try store.find(VersionQuery(
            conditions: [try QueryParser.parse("train exists")], sort: try QueryParser.parseSortKey("-train.lr")))
        #expect(byAcc.map(\.qualifiedName) == ["vision/resnet:v0", "vision/resnet:v1"])
        let newest = try store.find(VersionQuery(limit: 1))
        #expect(newest.map(\.qualifiedName) == ["audio/wav2vec:v1"])
        #expect(try store.find(VersionQuery(createdAfter: Date().addingTimeInterval(60))).isEmpty)
        #expect(try store.find(VersionQuery(createdBefore: Date().addingTimeInterval(60))).count == 5)
        #expect(throws: StoreError.projectNotFound(project: "nope")) { try store.find(VersionQuery(project: "nope")) }
    }

    @Test("edited metadata is found by its new value, not its old one")
    func editedMetadata() throws {
        let fixture = try populated()
        let version = try fixture.store.version("vision/mnist:v0")
        try fixture.store.update(version, metadata: ["acc": .double(0.99)])
        #expect(try names(fixture, ["acc > 0.98", "acc < 1"]) == ["vision/mnist:v0"])
        #expect(try names(fixture, ["note exists"]) == ["audio/wav2vec:v0"])
    }
}

/// A catalog written before search existed gets its metadata side table filled when it is opened.
@Suite("store search migration")
struct StoreSearchMigrationTests {
    @Test("opening an older catalog indexes the metadata of every version it already has")
    func backfill() throws {
        let fixture = try StoreFixture()
        var draft = ArtifactDraft(name: "m", metadata: ["acc": .double(0.97), "tags": .array([.string("old")])])
        try draft.addData(Data("x".utf8), as: "f")
        try fixture.store.log(draft, project: "p")
        let path = fixture.root.appendingPathComponent("store/catalog.sqlite").path
        // Turn the catalog back into one from before the search migration.
        let database = try DatabaseQueue(path: path)
        try database.write { db in
            try db.execute(sql: """
                DROP TRIGGER version_key_on_insert; DROP TRIGGER version_key_on_update; DROP TRIGGER version_key_on_delete;
                DROP TABLE version_key; DELETE FROM grdb_migrations WHERE identifier = 'search-v1';
                """)
        }
        try database.close()
        let reopened = try Store(directory: fixture.root.appendingPathComponent("store"))
        let found = try reopened.find(VersionQuery(conditions: [QueryParser.parse(#"acc > 0.9 and tags contains "old""#)]))
        #expect(found.map(\.qualifiedName) == ["p/m:v0"])
    }
}
