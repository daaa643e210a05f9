import ArtifactStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// A bounded pool of PostgreSQL connections for synchronous callers.
///
/// The catalog protocol is synchronous, so callers block their own thread on a future: they must not
/// be event-loop threads (the pool's loops are its own). Connecting goes through
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

    init(configuration: PostgresConnectionConfiguration, maximumConnections: Int, timeouts: Timeouts, logger: Logger) {
        self.configuration = configuration
        self.maximumConnections = max(1, maximumConnections)
        self.timeouts = timeouts
        self.logger = logger
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    deinit {
        for connection in idle { connection.closeQuietly() }
        group.shutdownGracefully { _ in }
    }

    /// Closes every idle connection and refuses new leases; connections in use close on release.
    func close() {
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

    private func lease() throws -> PostgresConnection {
        let deadline = Date().addingTimeInterval(Double(timeouts.poolWait.nanoseconds) / 1e9)
        condition.lock()
        while true {
            if isClosed {
                condition.unlock()
                throw PostgresCatalogError.closed
            }
            if let connection = idle.popLast() {
                if connection.isClosed {
                    openCount -= 1
                    continue
                }
                condition.unlock()
                return connection
            }
            if openCount < maximumConnections {
                openCount += 1
                nextID += 1
                let id = nextID
                condition.unlock()
                do {
                    return try connect(id: id, timeout: timeouts.connect)
                } catch {
                    condition.lock()
                    openCount -= 1
                    condition.signal()
                    condition.unlock()
                    throw error
                }
            }
            if !condition.wait(until: deadline) {
                condition.unlock()
                throw PostgresCatalogError.poolExhausted(
                    connections: maximumConnections, waitedSeconds: Int(timeouts.poolWait.nanoseconds / 1_000_000_000))
            }
        }
    }

    private func release(_ connection: PostgresConnection, reusable: Bool) {
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
        let eventLoop = group.next()
        let future: EventLoopFuture<PostgresConnection>
        do {
            future = PostgresConnection.connect(
                on: eventLoop, configuration: try configuration.connectionConfiguration(connectTimeout: timeout),
                id: id, logger: logger)
        } catch {
            throw PostgresCatalogError.refused(endpoint: configuration.endpoint, reason: "TLS set-up failed: \(error)")
        }
        do {
            return try future.wait(timeout: timeout + .milliseconds(500)) {
                future.whenSuccess { $0.closeQuietly() }
            }
        } catch let timeout as FutureTimeout {
            throw PostgresCatalogError.unreachable(
                endpoint: configuration.endpoint, reason: "no answer within \(timeout.seconds) s")
        } catch {
            throw PostgresErrorMapping.connectFailure(error, configuration: configuration)
        }
    }
}

/// A wait that ran out of time.
struct FutureTimeout: Error {
    var seconds: String
}

extension EventLoopFuture where Value: Sendable {
    /// Waits for the result, giving up after `timeout`; `onTimeout` cleans up what is still under way.
    func wait(timeout: TimeAmount, onTimeout: @escaping @Sendable () -> Void) throws -> Value {
        let promise = eventLoop.makePromise(of: Value.self)
        cascade(to: promise)
        let seconds = String(format: "%.1f", Double(timeout.nanoseconds) / 1e9)
        let timer = eventLoop.scheduleTask(in: timeout) {
            promise.fail(FutureTimeout(seconds: seconds))
        }
        defer { timer.cancel() }
        do {
            return try promise.futureResult.wait()
        } catch let error as FutureTimeout {
            onTimeout()
            throw error
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
