@testable import ArtifactStore
@testable import ArtifactStorePostgres
import Foundation
import ProcessTestSupport
import StoreTestSupport
import Testing

/// `compaction-v1` on a PostgreSQL catalog that already holds packs: a server that does not migrate is
/// told to, the migration applies once and keeps every pack (none marked), and a build that knows fewer
/// migrations than the database has refuses it in one line, changing nothing.
@Suite("PostgreSQL compaction migration", .blockingCalls)
struct PostgresCompactionMigrationTests {
    @Test(.enabled(if: TestDatabase.adminURL != nil, TestDatabase.skipReason))
    func anOlderCatalogUpgradesOnceAndANewerOneIsRefused() throws {
        let fixture = try ConformanceFixture(.postgres)
        try fixture.put(["a.bin": randomBytes(300_000, seed: 31)])
        let packs = try fixture.catalog.packs()
        try #require(!packs.isEmpty)
        let database = try #require((fixture.catalog as? PostgresCatalog)?.configuration).database
        (fixture.catalog as? PostgresCatalog)?.close()
        // Back to the schema the build before compaction-v1 left.
        for statement in [
            "ALTER TABLE pack DROP COLUMN compact_pending",
            "DELETE FROM arttui_catalog_migrations WHERE version = \(PostgresCatalogSchema.compactionMigration.version)",
        ] {
            try TestDatabase.run(statement, database: database)
        }
        let url = try TestDatabase.url(TestDatabase.adminURL!, database: database)
        let current = PostgresCatalogSchema.currentVersion

        let unmigrated = #expect(throws: (any Error).self) { try PostgresCatalog(url: url, migrate: false) }
        #expect(unmigrated.map { "\($0)" } == "catalog: catalog database has schema version \(current - 1), "
            + "this arttui-server needs \(current): run arttui-server migrate")
        let configuration = try PostgresConnectionConfiguration(url: url)
        #expect(try PostgresCatalog.migrate(configuration: configuration) == ["compaction-v1"])
        #expect(try PostgresCatalog.migrate(configuration: configuration) == [], "applied once")
        let upgraded = try PostgresCatalog(url: url, migrate: false)
        #expect(try upgraded.packs() == packs)
        #expect(try upgraded.packsToCompact().isEmpty, "no pack of the older catalog is marked")
        upgraded.close()

        // A newer build's migration, as an older build meets it: one line, and nothing migrated.
        try TestDatabase.run(
            "INSERT INTO arttui_catalog_migrations (version, name) VALUES (\(current + 1), 'from-the-future')", database: database)
        let newer = #expect(throws: (any Error).self) { try PostgresCatalog(url: url) }
        #expect(newer.map { "\($0)" }
            == "catalog database has schema version \(current + 1), newer than the \(current) this arttui-server knows")
        let refusedMigration = #expect(throws: (any Error).self) { try PostgresCatalog.migrate(configuration: configuration) }
        #expect(refusedMigration.map { "\($0)" }?.contains("schema version \(current + 1), newer than the \(current)") == true,
                "\(refusedMigration.map { "\($0)" } ?? "")")
        // Without the newer migration's row the catalog is the one it was: current, its packs intact.
        try TestDatabase.run("DELETE FROM arttui_catalog_migrations WHERE version > \(current)", database: database)
        let again = try PostgresCatalog(url: url, migrate: false)
        defer { again.close() }
        #expect(try again.packs() == packs)
    }
}
