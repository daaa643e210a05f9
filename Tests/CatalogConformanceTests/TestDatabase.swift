import ArtifactStorePostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// A database of its own for one test, on the cluster `ARTTUI_TEST_DATABASE_URL` names; dropped on `drop()`.
///
/// Its statements wait with NIO's blocking `wait()`, as the synchronous catalog it serves does: the
/// suites that use it run on threads of their own (`.blockingCalls`), never on the cooperative pool.
final class TestDatabase: @unchecked Sendable {
    /// The cluster to test against, or nil (PostgreSQL tests are skipped).
    static let adminURL: String? = {
        let value = ProcessInfo.processInfo.environment["ARTTUI_TEST_DATABASE_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    /// Why PostgreSQL tests do not run.
    static let skipReason: Comment = "ARTTUI_TEST_DATABASE_URL is unset: PostgreSQL catalog tests skipped (scripts/services/postgres.sh starts a cluster)"

    private static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// The new database's name.
    let name: String
    /// A URL for it, with the admin URL's user, password and host.
    let url: String

    /// Creates a fresh, empty database.
    init() throws {
        guard let admin = TestDatabase.adminURL else { throw TestDatabaseError("ARTTUI_TEST_DATABASE_URL is unset") }
        name = "arttui_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        url = try TestDatabase.url(admin, database: name)
        try TestDatabase.runAdmin("CREATE DATABASE \(name)")
    }

    /// Drops the database, closing whatever connections are still open on it.
    func drop() {
        do {
            try TestDatabase.runAdmin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        } catch {
            print("could not drop test database \(name): \(String(reflecting: error))")
        }
    }

    /// Runs one statement as the admin URL's user on its database.
    static func runAdmin(_ sql: String) throws {
        try run(sql, database: nil)
    }

    /// Runs one statement as the admin URL's user on `database` (the admin URL's own when nil).
    static func run(_ sql: String, database: String?) throws {
        guard let admin = adminURL else { throw TestDatabaseError("ARTTUI_TEST_DATABASE_URL is unset") }
        let parsed = try PostgresConnectionConfiguration(url: admin)
        var configuration = PostgresConnection.Configuration(
            host: parsed.host, port: parsed.port, username: parsed.user, password: parsed.password,
            database: database ?? parsed.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        let connection = try PostgresConnection.connect(
            on: group.next(), configuration: configuration, id: 1, logger: Logger(label: "test-admin")).wait()
        defer { try? connection.close().wait() }
        _ = try connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test-admin")).wait()
    }

    /// `url` with another database (and optionally another password) in it.
    static func url(_ url: String, database: String, password: String?? = nil) throws -> String {
        guard var components = URLComponents(string: url) else { throw TestDatabaseError("bad URL") }
        components.path = "/" + database
        if let password { components.password = password }
        guard let text = components.string else { throw TestDatabaseError("bad URL") }
        return text
    }
}

struct TestDatabaseError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
