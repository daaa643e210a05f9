import ArtifactStore
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// One leased connection used from async code: statements run without blocking a thread, with the
/// same bounds as `PostgresSession` (a server that stops answering is noticed within seconds).
struct PostgresAsyncSession {
    let connection: PostgresConnection
    let pool: PostgresConnectionPool

    /// Runs the prepared statement `Text` (preparing it on this connection's first use) and returns its rows.
    func rows<Text: PreparedStatementText>(_ text: Text.Type, _ bindings: PostgresBindings) async throws
        -> [PostgresRandomAccessRow]
    {
        try await bounded {
            var rows: [PostgresRandomAccessRow] = []
            for try await row in try await connection.execute(
                PreparedCatalogStatement<Text>(bindings: bindings), logger: pool.logger)
            {
                rows.append(row.makeRandomAccess())
            }
            return rows
        }
    }

    /// Runs an unprepared statement (for the rare follow-ups, such as naming what was not found).
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await bounded {
            var rows: [PostgresRandomAccessRow] = []
            for try await row in try await connection.query(query, logger: pool.logger) {
                rows.append(row.makeRandomAccess())
            }
            return rows
        }
    }

    /// Runs `body` under the pool's `StatementWatch`: a statement still running after `probeAfter` makes
    /// it check with a new login that the server answers, and one past the statement timeout closes the
    /// connection. Either way the call fails as `unreachable`, naming why.
    private func bounded<T>(_ body: () async throws -> T) async throws -> T {
        let connection = connection
        let abandoned = NIOLockedValueBox<(any Error)?>(nil)
        let watched = pool.statements.begin { reason in
            abandoned.withLockedValue { if $0 == nil { $0 = reason } }
            connection.closeQuietly()
        }
        defer { pool.statements.end(watched) }
        do {
            return try await body()
        } catch {
            if let reason = abandoned.withLockedValue({ $0 }) { throw reason }
            throw PostgresErrorMapping.queryFailure(error, endpoint: pool.configuration.endpoint)
        }
    }
}

extension PostgresConnectionPool {
    /// Runs `body` on a connection of the pool without blocking the calling thread, returning the
    /// connection afterwards; one whose statement failed is dropped (its state is unknown), one that
    /// only found nothing (a `StoreError`) is kept.
    func withConnection<T>(_ body: (PostgresAsyncSession) async throws -> T) async throws -> T {
        let connection = try await leaseWithoutBlocking()
        do {
            let result = try await body(PostgresAsyncSession(connection: connection, pool: self))
            release(connection, reusable: true)
            return result
        } catch {
            release(connection, reusable: error is StoreError)
            throw error
        }
    }

    /// An idle connection, a new one, or, when every connection is in use, the first released (waited
    /// for on a thread of its own: the async caller's thread is not blocked).
    private func leaseWithoutBlocking() async throws -> PostgresConnection {
        switch try leaseIfFree() {
        case .idle(let connection):
            return connection
        case .slot(let id):
            do {
                return try await connect(id: id, timeout: timeouts.connect)
            } catch {
                giveBackSlot()
                throw error
            }
        case .busy:
            return try await Self.awaitingBlocking { try self.lease() }
        }
    }

    /// Runs a blocking call on a thread of its own and awaits its result, so the async caller's
    /// thread is not blocked: for the rare waits the non-blocking paths leave to the blocking ones.
    static func awaitingBlocking<T: Sendable>(_ call: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try call() }) }
        }
    }
}
