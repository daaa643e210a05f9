import Foundation
import Testing
@testable import ArtifactStore
import GRDB

// The search's behaviour is tested on both catalogs in Tests/CatalogConformanceTests (CatalogSearchConformanceTests).

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
