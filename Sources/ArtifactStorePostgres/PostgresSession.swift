import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One leased connection, used synchronously: statements, and transactions around them.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger
    let timeout: TimeAmount
    let endpoint: String

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
        do {
            return try connection.query(query, logger: logger).wait(timeout: timeout) {
                // The statement may be stuck on a dead server: the connection cannot be trusted again.
                connection.closeQuietly()
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
