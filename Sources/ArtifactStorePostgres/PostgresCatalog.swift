import ArtifactStore
import Foundation
import Logging
import PostgresNIO

/// The team catalog: the same records and rules as `SQLiteCatalog`, kept in PostgreSQL 15.
///
/// Any number of server processes may open one database. Every method is one transaction; commits to
/// an artifact are serialized by a lock on its row, so version numbers stay consecutive across
/// processes, and writes that add or remove chunks take the chunk lock (shared to add, exclusive to
/// remove), so a deletion never takes a chunk a concurrent commit relies on. Digests are stored as
/// 32-byte `bytea` and converted from and to hex in the statements.
///
/// Calls block the calling thread, which must not be one of SwiftNIO's event loops. When the database
/// goes away, calls fail within seconds with `PostgresCatalogError.unreachable` and leave nothing
/// half-done (the transaction is rolled back by the server when the connection drops).
///
/// ```swift
/// let catalog = try PostgresCatalog(url: "postgres://arttui:secret@127.0.0.1:5432/artifacts")
/// let store = Store(directory: scratch, catalog: catalog, objects: bucket)
/// ```
public final class PostgresCatalog: Catalog, @unchecked Sendable {
    /// How many connections a catalog opens unless told otherwise: one per concurrent client a server
    /// expects, so callers that block on a statement rarely wait for a connection.
    public static let defaultMaximumConnections = 16

    /// Where the database is (without the password).
    public let configuration: PostgresConnectionConfiguration
    let pool: PostgresConnectionPool

    /// Connects, checks the login with one connection (failing within seconds with the cause) and
    /// brings the schema up to date unless `migrate` is false.
    /// - Parameters:
    ///   - url: `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=…`.
    ///   - maximumConnections: How many statements may run at once; size it for the server's concurrency.
    ///   - migrate: Apply missing migrations (under a lock other processes respect); when false a
    ///     database without the current schema is refused.
    ///   - logger: Where connection events go.
    /// - Throws: `PostgresCatalogError` naming what is wrong.
    public convenience init(
        url: String, maximumConnections: Int = PostgresCatalog.defaultMaximumConnections, migrate: Bool = true,
        connectTimeout: TimeAmount = .seconds(4),
        logger: Logger = Logger(label: "arttui.catalog.postgres")
    ) throws {
        try self.init(
            configuration: PostgresConnectionConfiguration(url: url), maximumConnections: maximumConnections,
            migrate: migrate, connectTimeout: connectTimeout, logger: logger)
    }

    /// Opens the catalog described by `configuration`; see `init(url:maximumConnections:migrate:logger:)`.
    /// `connectTimeout` bounds connecting and logging in (an unreachable database fails within it).
    public init(
        configuration: PostgresConnectionConfiguration,
        maximumConnections: Int = PostgresCatalog.defaultMaximumConnections, migrate: Bool = true,
        connectTimeout: TimeAmount = .seconds(4), logger: Logger = Logger(label: "arttui.catalog.postgres")
    ) throws {
        self.configuration = configuration
        var timeouts = PostgresConnectionPool.Timeouts()
        timeouts.connect = connectTimeout
        self.pool = PostgresConnectionPool(
            configuration: configuration, maximumConnections: maximumConnections, timeouts: timeouts, logger: logger)
        try pool.withConnection { session in
            if migrate {
                _ = try PostgresCatalogSchema.migrate(session)
            } else {
                try PostgresCatalogSchema.requireCurrent(session)
            }
        }
    }

    /// Brings the catalog schema in the database `configuration` names up to date and returns the names of the
    /// migrations it applied (empty when it was current); for `arttui-server migrate`.
    public static func migrate(
        configuration: PostgresConnectionConfiguration, logger: Logger = Logger(label: "arttui.catalog.postgres")
    ) throws -> [String] {
        let pool = PostgresConnectionPool(configuration: configuration, maximumConnections: 1, timeouts: .init(), logger: logger)
        defer { pool.close() }
        return try pool.withConnection { try PostgresCatalogSchema.migrate($0) }
    }

    /// Closes the pooled connections; later calls fail with `PostgresCatalogError.closed`.
    public func close() {
        pool.close()
    }

    /// Runs `body` in one read-only snapshot.
    func read<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try pool.withConnection { try $0.transaction(.read, body) }
    }

    /// Runs `body`, whose answer comes from one statement, outside an explicit transaction: one statement
    /// reads one snapshot by itself, and the BEGIN and COMMIT round trips are saved. A statement run
    /// after the first (such as the lookup naming what is missing when nothing was found) reads a later
    /// snapshot, so it may only refine an error.
    func readStatement<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try pool.withConnection(body)
    }

    /// Runs `body` in one read-write transaction.
    func write<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try pool.withConnection { try $0.transaction(.write, body) }
    }
}
