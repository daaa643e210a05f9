import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One leased connection, used synchronously: statements, and transactions around them.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger
    let timeouts: PostgresConnectionPool.Timeouts
    let endpoint: String
    /// Checks that the server still answers a new login; throws `unreachable` when it does not.
    let probe: () throws -> Void

    /// Runs a statement and returns its rows.
    func rows(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        try result(query).rows.map { $0.makeRandomAccess() }
    }

    /// Runs a statement and returns its first row, if any.
    func row(_ query: PostgresQuery) throws -> PostgresRandomAccessRow? {
        try rows(query).first
    }

    /// Runs a statement and returns how many rows it changed.
    @discardableResult
    func execute(_ query: PostgresQuery) throws -> Int {
        try result(query).metadata.rows ?? 0
    }

    private func result(_ query: PostgresQuery) throws -> PostgresQueryResult {
        let connection = connection
        // The statement may be stuck on a dead server: then the connection cannot be trusted again.
        let abandon: @Sendable () -> Void = { connection.closeQuietly() }
        let future = connection.query(query, logger: logger)
        do {
            do {
                return try future.wait(timeout: timeouts.probeAfter) {}
            } catch is FutureTimeout {
                // A slow statement or a server that stopped answering: a fresh login tells them apart
                // within seconds, so a hung database fails calls quickly while long statements go on.
                do {
                    try probe()
                } catch {
                    abandon()
                    throw error
                }
                return try future.wait(timeout: timeouts.statement - timeouts.probeAfter, onTimeout: abandon)
            }
        } catch let timeout as FutureTimeout {
            throw PostgresCatalogError.unreachable(endpoint: endpoint, reason: "no answer within \(timeout.seconds) s")
        } catch {
            throw PostgresErrorMapping.queryFailure(error, endpoint: endpoint)
        }
    }

    /// How a transaction reads and locks.
    enum TransactionKind {
        /// One consistent snapshot for every statement, writing nothing.
        case read
        /// Read committed, row locks taken where the statements say.
        case write
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ kind: TransactionKind, _ body: (PostgresSession) throws -> T) throws -> T {
        try execute(PostgresQuery(unsafeSQL: kind == .read ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN"))
        let result: T
        do {
            result = try body(self)
        } catch {
            // A connection that cannot roll back is dropped by the pool, which ends the transaction.
            _ = try? execute("ROLLBACK")
            throw error
        }
        try execute("COMMIT")
        return result
    }
}
