import Foundation
import GRDB
import Testing
@testable import ArtifactStore

/// A version `put` has reported must survive a power cut: the catalog's writer fsyncs every commit.
struct CatalogDurabilityTests {
    @Test("the catalog's writer commits with synchronous = FULL, even in WAL mode")
    func writerIsFullySynchronous() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try SQLiteCatalog(path: directory.appendingPathComponent("catalog.sqlite").path)
        let level = try catalog.database.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(level == 2, "2 is FULL; GRDB's WAL setup leaves 1 (NORMAL)")
    }
}
