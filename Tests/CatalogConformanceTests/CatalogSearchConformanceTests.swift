@testable import ArtifactStore
import ArtifactStorePostgres
import Foundation
import ProcessTestSupport
import Testing

/// `find`: expressions compiled to each catalog's SQL over its flattened metadata keys, with the same
/// answers on SQLite and PostgreSQL.
@Suite("Catalog conformance: search", .blockingCalls)
struct CatalogSearchConformanceTests {
    /// Five versions across two artifacts and two projects, each with distinct metadata.
    private func populated(_ kind: CatalogKind) throws -> ConformanceFixture {
        let fixture = try ConformanceFixture(kind)
        let versions: [(String, String, String, [String: JSONValue], Int)] = [
            ("vision", "resnet", "model", ["acc": .double(0.91), "train": .object(["lr": .double(0.01)]),
                                           "tags": .array([.string("baseline"), .int(3)]), "final": .bool(true)], 100),
            ("vision", "resnet", "model", ["acc": .double(0.95), "train": .object(["lr": .double(0.001)]),
                                           "tags": .array([.string("tuned")]), "final": .bool(false)], 3000),
            ("vision", "mnist", "dataset", ["acc": .string("n/a"), "note": .string("hand labelled set"),
                                            "learning rate": .int(5), "nested": .array([.array([.int(7)])])], 10),
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

    private func names(_ fixture: ConformanceFixture, _ expressions: [String], project: String? = nil) throws -> [String] {
        try fixture.store.find(VersionQuery(
            project: project, conditions: expressions.map(QueryParser.parse),
            sort: VersionSortKey(field: .name, descending: false))).map(\.qualifiedName)
    }

    @Test(arguments: CatalogKind.available)
    func numericComparisonsSkipStringsAndMissingKeys(_ kind: CatalogKind) throws {
        let fixture = try populated(kind)
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

    @Test(arguments: CatalogKind.available)
    func stringsBooleansNullContainsAndExists(_ kind: CatalogKind) throws {
        let fixture = try populated(kind)
        #expect(try names(fixture, [#"acc = "n/a""#]) == ["vision/mnist:v0"])
        #expect(try names(fixture, [#"acc > "m""#]) == ["vision/mnist:v0"])
        #expect(try names(fixture, ["final = true"]) == ["vision/resnet:v0"])
        #expect(try names(fixture, ["final != true"]) == ["vision/resnet:v1"])
        #expect(try names(fixture, ["note = null"]) == ["audio/wav2vec:v0"])
        #expect(try names(fixture, ["note exists"]) == ["audio/wav2vec:v0", "vision/mnist:v0"])
        #expect(try names(fixture, [#"note contains "labelled""#]) == ["vision/mnist:v0"])
        #expect(try names(fixture, [#"tags contains "tuned""#]) == ["vision/resnet:v1"])
        #expect(try names(fixture, ["tags contains 3"]) == ["vision/resnet:v0"])
        #expect(try names(fixture, ["train exists and not tags contains 3"]) == ["vision/resnet:v1"])
        // An element of an array inside an array is no element of the outer one.
        #expect(try names(fixture, ["nested contains 7"]) == [])
        #expect(try names(fixture, ["nested exists"]) == ["vision/mnist:v0"])
    }

    @Test(arguments: CatalogKind.available)
    func andOrNotAndParenthesesCombineAsWritten(_ kind: CatalogKind) throws {
        let fixture = try populated(kind)
        #expect(try names(fixture, ["final = true or acc = 1 and note exists"]) == ["audio/wav2vec:v0", "vision/resnet:v0"])
        #expect(try names(fixture, ["(final = true or acc = 1) and note exists"]) == ["audio/wav2vec:v0"])
        #expect(try names(fixture, ["not (acc exists)"]) == ["audio/wav2vec:v1"])
    }

    @Test(arguments: CatalogKind.available)
    func sizeFilesAndCreatedWithUnitsAndDates(_ kind: CatalogKind) throws {
        let fixture = try populated(kind)
        #expect(try names(fixture, ["size > 2KB"]) == ["audio/wav2vec:v0", "vision/resnet:v1"])
        #expect(try names(fixture, ["size > 2.5KiB and size < 40KiB"]) == ["vision/resnet:v1"])
        #expect(try names(fixture, ["files = 1"]).count == 5)
        #expect(try names(fixture, ["created > 2000-01-01"]).count == 5)
        #expect(try names(fixture, ["created < 2000-01-01T00:00:00Z"]).isEmpty)
    }

    @Test(arguments: CatalogKind.available)
    func projectTypeAliasDateSortAndLimitFilters(_ kind: CatalogKind) throws {
        let fixture = try populated(kind)
        let store = fixture.store
        #expect(try names(fixture, ["acc exists"], project: "audio") == ["audio/wav2vec:v0"])
        #expect(try store.find(VersionQuery(type: "dataset")).map(\.qualifiedName) == ["vision/mnist:v0"])
        let latest = try store.find(VersionQuery(alias: "latest", sort: VersionSortKey(field: .name, descending: false)))
        #expect(latest.map(\.qualifiedName) == ["audio/wav2vec:v1", "vision/mnist:v0", "vision/resnet:v1"])
        try store.addAlias("best", to: try store.version("vision/resnet:v0"))
        #expect(try store.find(VersionQuery(alias: "BEST")).map(\.qualifiedName) == ["vision/resnet:v0"])
        let bySize = try store.find(VersionQuery(sort: VersionSortKey(field: .field(.size), descending: true), limit: 2))
        #expect(bySize.map(\.size) == [50_000, 3000])
        let byLR = try store.find(VersionQuery(
            conditions: [try QueryParser.parse("train exists")], sort: try QueryParser.parseSortKey("-train.lr")))
        #expect(byLR.map(\.qualifiedName) == ["vision/resnet:v0", "vision/resnet:v1"])
        // Mixed kinds sort as SQLite orders them: numbers before strings; versions without the key last.
        let byAcc = try store.find(VersionQuery(sort: try QueryParser.parseSortKey("acc")))
        #expect(byAcc.map(\.qualifiedName) == [
            "vision/resnet:v0", "vision/resnet:v1", "audio/wav2vec:v0", "vision/mnist:v0", "audio/wav2vec:v1"])
        let newest = try store.find(VersionQuery(limit: 1))
        #expect(newest.map(\.qualifiedName) == ["audio/wav2vec:v1"])
        #expect(try store.find(VersionQuery(createdAfter: Date().addingTimeInterval(60))).isEmpty)
        #expect(try store.find(VersionQuery(createdBefore: Date().addingTimeInterval(60))).count == 5)
        #expect(throws: StoreError.projectNotFound(project: "nope")) { try store.find(VersionQuery(project: "nope")) }
    }

    @Test(arguments: CatalogKind.available)
    func aSetOfProjectsLimitsTheSearch(_ kind: CatalogKind) throws {
        let fixture = try populated(kind)
        let sort = VersionSortKey(field: .name, descending: false)
        let audio = try fixture.store.find(VersionQuery(projects: ["audio", "unknown"], sort: sort))
        #expect(audio.map(\.qualifiedName) == ["audio/wav2vec:v0", "audio/wav2vec:v1"])
        #expect(try fixture.store.find(VersionQuery(projects: [])).isEmpty)
        #expect(try fixture.store.find(VersionQuery(projects: ["audio", "vision"])).count == 5)
    }

    @Test(arguments: CatalogKind.available)
    func editedMetadataIsFoundByItsNewValueAndDeletedVersionsNotAtAll(_ kind: CatalogKind) throws {
        let fixture = try populated(kind)
        let version = try fixture.store.version("vision/mnist:v0")
        try fixture.store.update(version, metadata: ["acc": .double(0.99)])
        #expect(try names(fixture, ["acc > 0.98", "acc < 1"]) == ["vision/mnist:v0"])
        #expect(try names(fixture, ["note exists"]) == ["audio/wav2vec:v0"])
        #expect(try fixture.store.version("vision/mnist:v0").metadata == ["acc": .double(0.99)])
        _ = try fixture.store.delete([try fixture.store.version("audio/wav2vec:v0")], deleteAliases: true)
        #expect(try names(fixture, ["note exists"]).isEmpty)
    }
}

/// A PostgreSQL catalog written before search existed gets its metadata converted and indexed when
/// the migration runs.
@Suite("PostgreSQL search migration", .blockingCalls)
struct PostgresSearchMigrationTests {
    @Test(.enabled(if: TestDatabase.adminURL != nil, TestDatabase.skipReason))
    func migratingAnOlderCatalogIndexesTheMetadataItAlreadyHas() throws {
        let fixture = try ConformanceFixture(.postgres)
        var draft = ArtifactDraft(name: "m", metadata: ["acc": .double(0.97), "tags": .array([.string("old")])])
        try draft.addData(Data("x".utf8), as: "f")
        try fixture.store.log(draft, project: "p")
        // Turn the database back into one from before the search migration, metadata as text.
        let url = try #require((fixture.catalog as? PostgresCatalog)?.configuration)
        let database = url.database
        (fixture.catalog as? PostgresCatalog)?.close()
        for statement in [
            "DROP TRIGGER version_key_sync ON version", "DROP FUNCTION arttui_version_key_sync()",
            "DROP FUNCTION arttui_metadata_keys(jsonb)", "DROP TABLE version_key", "DROP INDEX version_by_creation",
            "ALTER TABLE version ALTER COLUMN metadata DROP DEFAULT",
            "ALTER TABLE version ALTER COLUMN metadata TYPE text USING metadata::text",
            // And the migration after it: migrations run only above the newest one applied.
            "ALTER TABLE pack DROP COLUMN compact_pending",
            "DELETE FROM arttui_catalog_migrations WHERE version >= 3",
        ] {
            try TestDatabase.run(statement, database: database)
        }
        let reopened = try PostgresCatalog(url: TestDatabase.url(TestDatabase.adminURL!, database: database))
        defer { reopened.close() }
        let store = Store(directory: fixture.store.directory, catalog: reopened, objects: fixture.store.objects)
        let found = try store.find(VersionQuery(conditions: [QueryParser.parse(#"acc > 0.9 and tags contains "old""#)]))
        #expect(found.map(\.qualifiedName) == ["p/m:v0"])
        #expect(found.first?.metadata == ["acc": .double(0.97), "tags": .array([.string("old")])])
    }
}
