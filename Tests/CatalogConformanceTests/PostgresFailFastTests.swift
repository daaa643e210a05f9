import ArtifactStore
import ArtifactStorePostgres
import Foundation
import ProcessTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Opening the PostgreSQL catalog fails within seconds with one line naming the cause, and a database
/// that goes away makes calls fail quickly with `unreachable`.
@Suite("PostgreSQL catalog fails fast", .blockingCalls)
struct PostgresFailFastTests {
    /// Opens a catalog at `url`, expecting a `PostgresCatalogError`; returns it and the seconds it took.
    private func openFailure(_ url: String) -> (error: PostgresCatalogError?, seconds: Double) {
        let start = Date()
        do {
            let catalog = try PostgresCatalog(url: url)
            catalog.close()
            return (nil, Date().timeIntervalSince(start))
        } catch {
            return (error as? PostgresCatalogError, Date().timeIntervalSince(start))
        }
    }

    @Test func refusedPortFailsAtOnce() throws {
        let port = try LoopbackSocket.freePort()  // Nothing listens there: connections are refused.
        let (error, seconds) = openFailure("postgres://arttui:secret@127.0.0.1:\(port)/artifacts")
        let text = try #require(error).description
        #expect(text == "catalog database unreachable: connection refused (127.0.0.1:\(port))")
        #expect(!text.contains("secret"))
        #expect(seconds < 10)
    }

    @Test func silentServerFailsWithinTheConnectTimeout() throws {
        // Accepts TCP (the kernel completes the handshake) but never answers the start-up message.
        let listener = try LoopbackSocket.bound(listening: 16)  // never accepts
        defer { close(listener.descriptor) }
        let (error, seconds) = openFailure("postgres://arttui@127.0.0.1:\(listener.port)/artifacts?sslmode=disable")
        let text = try #require(error).description
        #expect(text.hasPrefix("catalog database unreachable: "))
        #expect(text.contains("timed out") || text.contains("no answer within"))
        #expect(!text.contains("\n"))
        #expect(seconds < 10)
    }

    @Test(.enabled(if: TestDatabase.adminURL != nil, TestDatabase.skipReason))
    func missingDatabaseIsNamed() throws {
        let url = try TestDatabase.url(TestDatabase.adminURL!, database: "arttui_no_such_database")
        let (error, seconds) = openFailure(url)
        let failure = try #require(error)
        guard case .databaseMissing(_, let database) = failure else {
            Issue.record("expected databaseMissing, got \(failure)")
            return
        }
        #expect(database == "arttui_no_such_database")
        #expect(failure.description.hasPrefix("catalog database \"arttui_no_such_database\" does not exist ("))
        #expect(seconds < 10)
    }

    @Test(.enabled(
        if: TestDatabase.adminURL.flatMap { URLComponents(string: $0)?.password } != nil,
        "ARTTUI_TEST_DATABASE_URL has no password: start the cluster with --password-file to test a wrong one"))
    func wrongPasswordIsRefusedAtOnce() throws {
        let url = try TestDatabase.url(
            TestDatabase.adminURL!, database: URLComponents(string: TestDatabase.adminURL!)!.path.dropFirst().description,
            password: "definitely-wrong")
        let (error, seconds) = openFailure(url)
        let failure = try #require(error)
        let user = try #require(URLComponents(string: TestDatabase.adminURL!)?.user)
        #expect(failure == .passwordRefused(endpoint: try PostgresConnectionConfiguration(url: url).endpoint, user: user))
        #expect(failure.description.hasPrefix("catalog database refused the password of user \"\(user)\" (127.0.0.1:"))
        #expect(!failure.description.contains("definitely-wrong"))
        #expect(seconds < 10)
    }

    @Test(.enabled(if: TestDatabase.adminURL != nil, TestDatabase.skipReason))
    func databaseGoingAwayFailsCallsQuicklyAndComesBack() throws {
        let fixture = try ConformanceFixture(.postgres)
        let database = URLComponents(string: (fixture.catalog as! PostgresCatalog).configuration.description)!.path.dropFirst()
        try fixture.put(["f": [1, 2, 3]])
        try TestDatabase.runAdmin("ALTER DATABASE \(database) ALLOW_CONNECTIONS false")
        try TestDatabase.runAdmin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'")
        let start = Date()
        #expect {
            try fixture.store.projects()
        } throws: { error in
            guard case .unreachable? = error as? PostgresCatalogError else { return false }
            return (error as! PostgresCatalogError).description.hasPrefix("catalog database unreachable: ")
        }
        #expect(Date().timeIntervalSince(start) < 5)
        // A write that cannot reach the database leaves nothing behind.
        #expect(throws: PostgresCatalogError.self) { try fixture.put(["g": [4]], "proj", "other") }
        try TestDatabase.runAdmin("ALTER DATABASE \(database) ALLOW_CONNECTIONS true")
        #expect(try fixture.store.artifacts(in: "proj").map(\.name) == ["data"])
    }
}
