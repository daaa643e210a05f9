import ArtifactStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// A bounded pool of PostgreSQL connections for synchronous callers, and for async ones through
/// `PostgresAsyncSession` (the reads a server answers most).
///
/// The catalog protocol is synchronous, so its callers block their own thread on a future: they must
/// not be event-loop threads (the pool's loops are its own). Connecting goes through
/// `PostgresConnection.connect` with a hard deadline, so a wrong password, a missing database or a
/// dead host fails at once with the server's reason instead of being retried silently.
final class PostgresConnectionPool: @unchecked Sendable {
    /// How long the pool and its connections wait for the database.
    struct Timeouts: Sendable {
        /// Connecting, TLS and login together.
        var connect: TimeAmount = .seconds(4)
        /// One statement; past it the connection is closed and the call fails as unreachable.
        var statement: TimeAmount = .seconds(60)
        /// A statement running this long makes the pool check, with a new login, that the server answers.
        var probeAfter: TimeAmount = .milliseconds(2500)
        /// How long that check may take before the server counts as gone.
        var probe: TimeAmount = .milliseconds(1500)
        /// Waiting for a busy pool to free a connection.
        var poolWait: TimeAmount = .seconds(60)
    }

    let configuration: PostgresConnectionConfiguration
    let timeouts: Timeouts
    let maximumConnections: Int
    let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var openCount = 0
    private var nextID = 0
    private var isClosed = false
    /// The async statements in flight (`PostgresAsyncSession`), held to the same timeouts as blocking ones.
    private(set) var statements: StatementWatch!

    init(configuration: PostgresConnectionConfiguration, maximumConnections: Int, timeouts: Timeouts, logger: Logger) {
        self.configuration = configuration
        self.maximumConnections = max(1, maximumConnections)
        self.timeouts = timeouts
        self.logger = logger
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let endpoint = configuration.endpoint
        let seconds = String(format: "%.1f", Double(timeouts.statement.nanoseconds) / 1e9)
        statements = StatementWatch(
            limits: .init(probeAfter: timeouts.probeAfter, deadline: timeouts.statement), eventLoop: group.next(),
            probe: { [weak self, group] in
                guard let self else { return group.next().makeSucceededVoidFuture() }
                return probing()
            },
            overdue: { PostgresCatalogError.unreachable(endpoint: endpoint, reason: "no answer within \(seconds) s") })
    }

    deinit {
        statements.stop()
        for connection in idle { connection.closeQuietly() }
        group.shutdownGracefully { _ in }
    }

    /// Closes every idle connection and refuses new leases; connections in use close on release.
    func close() {
        statements.stop()
        condition.lock()
        isClosed = true
        let connections = idle
        idle.removeAll()
        openCount -= connections.count
        condition.broadcast()
        condition.unlock()
        for connection in connections { try? connection.closeQuietly().wait() }
    }

    /// Runs `body` on a connection of the pool, returning the connection afterwards (or dropping it
    /// when it failed in a way that leaves its state unknown).
    func withConnection<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        // Blocking an event loop on its own future would deadlock it (NIO traps on it): refuse plainly.
        if MultiThreadedEventLoopGroup.currentEventLoop != nil {
            throw StoreError.catalog("PostgresCatalog was called on an event loop thread; call it from a thread pool")
        }
        let connection = try lease()
        let session = PostgresSession(
            connection: connection, logger: logger, timeouts: timeouts, endpoint: configuration.endpoint,
            probe: { [self] in try connect(id: 0, timeout: timeouts.probe).closeQuietly() })
        do {
            let result = try body(session)
            release(connection, reusable: true)
            return result
        } catch {
            release(connection, reusable: false)
            throw error
        }
    }

    /// What the pool can hand out at once, without waiting for a connection to be released.
    enum ImmediateLease {
        /// An open connection nobody uses.
        case idle(PostgresConnection)
        /// Room for one more connection, already counted as open: connect with `id`, and call
        /// `giveBackSlot()` when that fails.
        case slot(id: Int)
        /// Every connection is in use.
        case busy
    }

    /// An idle connection or room for a new one; called with `condition` locked.
    private func takeLocked() throws -> ImmediateLease {
        if isClosed { throw PostgresCatalogError.closed }
        while let connection = idle.popLast() {
            if !connection.isClosed { return .idle(connection) }
            openCount -= 1
        }
        guard openCount < maximumConnections else { return .busy }
        openCount += 1
        nextID += 1
        return .slot(id: nextID)
    }

    /// An idle connection or room for a new one, or `.busy`, without waiting.
    func leaseIfFree() throws -> ImmediateLease {
        condition.lock()
        defer { condition.unlock() }
        return try takeLocked()
    }

    /// Gives back the room taken by `.slot` when connecting failed.
    func giveBackSlot() {
        condition.lock()
        openCount -= 1
        condition.signal()
        condition.unlock()
    }

    /// A connection, waiting up to `poolWait` for one to be released when all are in use.
    func lease() throws -> PostgresConnection {
        let deadline = Date().addingTimeInterval(Double(timeouts.poolWait.nanoseconds) / 1e9)
        condition.lock()
        while true {
            let taken: ImmediateLease
            do {
                taken = try takeLocked()
            } catch {
                condition.unlock()
                throw error
            }
            switch taken {
            case .idle(let connection):
                condition.unlock()
                return connection
            case .slot(let id):
                condition.unlock()
                do {
                    return try connect(id: id, timeout: timeouts.connect)
                } catch {
                    giveBackSlot()
                    throw error
                }
            case .busy:
                if !condition.wait(until: deadline) {
                    condition.unlock()
                    throw PostgresCatalogError.poolExhausted(
                        connections: maximumConnections, waitedSeconds: Int(timeouts.poolWait.nanoseconds / 1_000_000_000))
                }
            }
        }
    }

    func release(_ connection: PostgresConnection, reusable: Bool) {
        condition.lock()
        if reusable && !isClosed && !connection.isClosed {
            idle.append(connection)
        } else {
            openCount -= 1
            connection.closeQuietly()
        }
        condition.signal()
        condition.unlock()
    }

    /// Opens one connection, failing within `timeout` (and a little) with the server's reason.
    func connect(id: Int, timeout: TimeAmount) throws -> PostgresConnection {
        let future = try connecting(id: id, timeout: timeout)
        do {
            return try future.wait()
        } catch {
            throw connectFailure(error)
        }
    }

    /// Opens one connection without blocking; see `connect(id:timeout:)`.
    func connect(id: Int, timeout: TimeAmount) async throws -> PostgresConnection {
        let future = try connecting(id: id, timeout: timeout)
        do {
            return try await future.get()
        } catch {
            throw connectFailure(error)
        }
    }

    /// The connection being opened, failing with `FutureTimeout` after `timeout` (and a little).
    private func connecting(id: Int, timeout: TimeAmount) throws -> EventLoopFuture<PostgresConnection> {
        let eventLoop = group.next()
        let future: EventLoopFuture<PostgresConnection>
        do {
            future = PostgresConnection.connect(
                on: eventLoop, configuration: try configuration.connectionConfiguration(connectTimeout: timeout),
                id: id, logger: logger)
        } catch {
            throw PostgresCatalogError.refused(endpoint: configuration.endpoint, reason: "TLS set-up failed: \(error)")
        }
        return future.timingOut(after: timeout + .milliseconds(500)) {
            future.whenSuccess { $0.closeQuietly() }
        }
    }

    /// A new login that is closed again at once: whether the server answers, failing within the probe timeout.
    private func probing() -> EventLoopFuture<Void> {
        do {
            return try connecting(id: 0, timeout: timeouts.probe)
                .flatMap { $0.closeQuietly() }
                .flatMapErrorThrowing { [self] error in throw connectFailure(error) }
        } catch {
            return group.next().makeFailedFuture(error)
        }
    }

    private func connectFailure(_ error: any Error) -> any Error {
        if let timeout = error as? FutureTimeout {
            return PostgresCatalogError.unreachable(
                endpoint: configuration.endpoint, reason: "no answer within \(timeout.seconds) s")
        }
        return PostgresErrorMapping.connectFailure(error, configuration: configuration)
    }
}

/// A wait that ran out of time.
struct FutureTimeout: Error {
    var seconds: String
}

extension EventLoopFuture where Value: Sendable {
    /// Waits for the result, giving up after `timeout`; `onTimeout` cleans up what is still under way.
    func wait(timeout: TimeAmount, onTimeout: @escaping @Sendable () -> Void) throws -> Value {
        try timingOut(after: timeout, onTimeout: onTimeout).wait()
    }

    /// This future's result, or `FutureTimeout` after `timeout`, when `onTimeout` cleans up what is
    /// still under way.
    func timingOut(after timeout: TimeAmount, onTimeout: @escaping @Sendable () -> Void) -> EventLoopFuture<Value> {
        let promise = eventLoop.makePromise(of: Value.self)
        cascade(to: promise)
        let seconds = String(format: "%.1f", Double(timeout.nanoseconds) / 1e9)
        let timer = eventLoop.scheduleTask(in: timeout) {
            promise.fail(FutureTimeout(seconds: seconds))
        }
        return promise.futureResult.always { result in
            timer.cancel()
            if case .failure(let error) = result, error is FutureTimeout { onTimeout() }
        }
    }
}

extension PostgresConnection {
    /// Closes the connection without waiting; the returned future says when it is closed.
    ///
    /// The connection stays referenced until it is closed: postgres-nio traps on deinit before that.
    @discardableResult
    func closeQuietly() -> EventLoopFuture<Void> {
        let future: EventLoopFuture<Void> = close()
        future.whenComplete { _ in withExtendedLifetime(self) {} }
        return future
    }
}
