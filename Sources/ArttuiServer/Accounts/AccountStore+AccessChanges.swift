import Logging
import PostgresNIO
import ServiceLifecycle

extension AccountStore {
    /// Tells every account store that tokens, memberships or projects changed, this one at once.
    ///
    /// Called after the change is committed (the statements before it run outside a transaction), so
    /// a cache refilled afterwards reads the new state.
    func announceAccessChange(on connection: PostgresConnection) async throws {
        invalidateCaches()
        try await connection.query("SELECT pg_notify(\(Self.accessChannel), '')", logger: logger)
    }

    /// Forgets every cached caller and project.
    func invalidateCaches() {
        callers.invalidate()
        projectRecords.invalidate()
    }

    /// Listens for changes announced by other processes and clears the caches on each, until cancelled.
    ///
    /// While the listening connection is down (the database restarting) the caches are cleared when it
    /// comes back; in between, the cache lifetime is the bound on what this process may miss.
    public func followAccessChanges() async {
        // A failure is reported when the retry after it comes, not at once: as the server stops (or fails
        // to start) the database client may close the listening connection just before this task is
        // cancelled, and that is no failure to report.
        var failure: (any Error)?
        while !Task.isCancelled {
            if let failure {
                logger.warning("listening for account changes failed; retrying", metadata: ["error": "\(failure)"])
            }
            failure = nil
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.accessChannel) { notifications in
                        // Changes made before listening began are not announced to us: start afresh.
                        invalidateCaches()
                        for try await _ in notifications { invalidateCaches() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                // The client closing its connections is the server stopping (a failed start cancels every
                // service at once, and the client may go first): no failure to report, nothing to retry.
                if let error = error as? PSQLError, [.poolClosed, .clientClosedConnection].contains(error.code) { return }
                failure = error
            }
            invalidateCaches()
            try? await Task.sleep(for: .seconds(1))
        }
    }
}

/// Runs `AccountStore.followAccessChanges` as one of the server's services, until graceful shutdown.
struct AccessChangeFollower: Service {
    let accounts: AccountStore

    func run() async throws {
        guard accounts.callers.isEnabled || accounts.projectRecords.isEnabled else {
            // Nothing cached, nothing to clear; returning early would end the service group.
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown { await accounts.followAccessChanges() }
    }
}
