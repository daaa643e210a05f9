@testable import ArtifactStore
import ArtifactStorePostgres
import Foundation
import StoreTestSupport
import Testing

/// `PostgresCatalog.NonBlockingReads` (prepared statements, awaited without blocking a thread) answers
/// exactly what the blocking `Catalog` reads answer, found or not.
@Suite("PostgreSQL non-blocking reads", .enabled(if: TestDatabase.adminURL != nil, TestDatabase.skipReason))
struct NonBlockingReadsTests {
    @Test func answersAsTheBlockingReadsDo() async throws {
        let fixture = try ConformanceFixture(.postgres)
        let catalog = try #require(fixture.catalog as? PostgresCatalog)
        let reads = catalog.nonBlocking
        for index in 0..<4 {
            try fixture.put(["a.bin": randomBytes(5_000 + index, seed: UInt64(index))], aliases: index == 1 ? ["best"] : [])
        }
        try fixture.put(["c.txt": Array("c\n".utf8)], "proj", "other", type: "model")
        try fixture.put(["d.txt": Array("d\n".utf8)], "second", "data")
        var shard = ArtifactDraft(name: "data", type: "dataset")
        try shard.addDirectory(fixture.tree("shard", ["part-0": Array("p\n".utf8)]))
        try fixture.store.upsert(shard, project: "proj", distributedID: "run-1")

        // Each statement more often than PostgreSQL plans it anew (five custom plans, then a generic one).
        for _ in 0..<6 {
            #expect(try await reads.projects() == catalog.projects())
            #expect(try await reads.artifacts(project: "proj") == catalog.artifacts(project: "proj"))
            for reference: ArtifactAddress.Reference in [.latest, .index(0), .index(3), .alias("best"), .alias("BEST")] {
                #expect(try await reads.version(project: "proj", name: "data", reference: reference)
                    == catalog.version(project: "proj", name: "data", reference: reference))
            }
            for states: Set<VersionState> in [[.committed], [.committed, .pending]] {
                for (offset, limit) in [(0, 2), (2, 2), (0, 100), (9, 5)] {
                    let page = try await reads.versionPage(
                        project: "proj", name: "data", states: states, offset: offset, limit: limit)
                    let expected = try catalog.versionPage(
                        project: "proj", name: "data", states: states, offset: offset, limit: limit)
                    #expect(page.versions == expected.versions && page.total == expected.total)
                }
            }
        }
        #expect(try await reads.versionPage(project: "proj", name: "data", states: [.committed, .pending], offset: 0, limit: 1)
            .versions.first?.state == .pending)

        // What is missing is named as the blocking reads name it.
        await expectSameError({ try await reads.version(project: "proj", name: "data", reference: .index(9)) }) {
            try catalog.version(project: "proj", name: "data", reference: .index(9))
        }
        await expectSameError({ try await reads.version(project: "proj", name: "none", reference: .latest) }) {
            try catalog.version(project: "proj", name: "none", reference: .latest)
        }
        await expectSameError({ try await reads.version(project: "nowhere", name: "data", reference: .alias("x")) }) {
            try catalog.version(project: "nowhere", name: "data", reference: .alias("x"))
        }
        await expectSameError({ try await reads.artifacts(project: "nowhere") }) { try catalog.artifacts(project: "nowhere") }
        await expectSameError({
            try await reads.versionPage(project: "proj", name: "none", states: [.committed], offset: 0, limit: 5)
        }) {
            try catalog.versionPage(project: "proj", name: "none", states: [.committed], offset: 0, limit: 5)
        }
    }

    @Test func databaseGoingAwayFailsQuicklyAsUnreachableAndComesBack() async throws {
        let fixture = try ConformanceFixture(.postgres)
        let catalog = try #require(fixture.catalog as? PostgresCatalog)
        try fixture.put(["f": [1, 2, 3]])
        #expect(try await catalog.nonBlocking.artifacts(project: "proj").map(\.name) == ["data"])
        let database = URLComponents(string: catalog.configuration.description)!.path.dropFirst()
        try TestDatabase.runAdmin("ALTER DATABASE \(database) ALLOW_CONNECTIONS false")
        try TestDatabase.runAdmin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'")
        let start = Date()
        var failure = ""
        do { _ = try await catalog.nonBlocking.projects() } catch { failure = "\(error)" }
        #expect(failure.hasPrefix("catalog database unreachable: "))
        #expect(Date().timeIntervalSince(start) < 5)
        try TestDatabase.runAdmin("ALTER DATABASE \(database) ALLOW_CONNECTIONS true")
        #expect(try await catalog.nonBlocking.artifacts(project: "proj").map(\.name) == ["data"])
    }

    private func expectSameError<T>(
        _ nonBlocking: () async throws -> T, _ blocking: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        var expected = ""
        do { _ = try blocking() } catch { expected = "\(error)" }
        var found = ""
        do { _ = try await nonBlocking() } catch { found = "\(error)" }
        #expect(!expected.isEmpty, sourceLocation: sourceLocation)
        #expect(found == expected, sourceLocation: sourceLocation)
    }
}
