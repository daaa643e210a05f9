import NIOConcurrencyHelpers
import NIOCore

/// The async statements in flight on a pool's connections, checked four times a second by one timer.
///
/// A timer of their own per statement (one to probe, one for the deadline) cost four hand-offs to the
/// connection's event loop per statement, scheduling and cancelling: 4 % of the server's CPU on the
/// benchmark's reads and a wake-up of that loop each. Registering here is a lock and a dictionary entry.
final class StatementWatch: Sendable {
    /// What the watch does about a statement that runs long.
    struct Limits: Sendable {
        /// Past this, `probe` runs once; if it throws, the statement is abandoned with its error.
        var probeAfter: TimeAmount
        /// Past this, the statement is abandoned with `overdue`.
        var deadline: TimeAmount
    }

    private struct Entry {
        let started: NIODeadline
        let abandon: @Sendable (any Error) -> Void
        var probed = false
    }

    private struct State {
        var running: [UInt64: Entry] = [:]
        var nextID: UInt64 = 0
        var timer: RepeatedTask?
        var stopped = false
    }

    private let limits: Limits
    private let eventLoop: any EventLoop
    private let probe: @Sendable () -> EventLoopFuture<Void>
    private let overdue: @Sendable () -> any Error
    private let state = NIOLockedValueBox(State())

    /// - Parameters:
    ///   - eventLoop: Where the checks run.
    ///   - probe: Checks that the server still answers (a new login), failing when it does not. A future,
    ///     not an async call: a probe must not wait for the cooperative threads, which may be what is stuck.
    ///   - overdue: The error of a statement past its deadline.
    init(
        limits: Limits, eventLoop: any EventLoop, probe: @escaping @Sendable () -> EventLoopFuture<Void>,
        overdue: @escaping @Sendable () -> any Error
    ) {
        self.limits = limits
        self.eventLoop = eventLoop
        self.probe = probe
        self.overdue = overdue
    }

    /// Watches a statement from now until `end(_:)`; `abandon` closes its connection with the reason.
    func begin(abandon: @escaping @Sendable (any Error) -> Void) -> UInt64 {
        let now = NIODeadline.now()
        return state.withLockedValue { state in
            state.nextID += 1
            state.running[state.nextID] = Entry(started: now, abandon: abandon)
            if state.timer == nil, !state.stopped {
                state.timer = eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(250), delay: .milliseconds(250)) {
                    [weak self] _ in self?.check()
                }
            }
            return state.nextID
        }
    }

    /// Stops watching the statement `id`.
    func end(_ id: UInt64) {
        state.withLockedValue { _ = $0.running.removeValue(forKey: id) }
    }

    /// Stops the timer; statements still running are no longer watched.
    func stop() {
        let timer = state.withLockedValue { state in
            state.stopped = true
            defer { state.timer = nil }
            return state.timer
        }
        timer?.cancel()
    }

    private func check() {
        let now = NIODeadline.now()
        var overdueOnes: [Entry] = []
        var toProbe: [Entry] = []
        state.withLockedValue { state in
            for (id, entry) in state.running {
                if now - entry.started >= limits.deadline {
                    overdueOnes.append(entry)
                    state.running[id] = nil
                } else if !entry.probed, now - entry.started >= limits.probeAfter {
                    state.running[id]?.probed = true
                    toProbe.append(entry)
                }
            }
        }
        for entry in overdueOnes { entry.abandon(overdue()) }
        guard !toProbe.isEmpty else { return }
        // One login answers for every statement that ran long.
        let abandons = toProbe.map(\.abandon)
        probe().whenFailure { error in
            for abandon in abandons { abandon(error) }
        }
    }

    deinit {
        state.withLockedValue { $0.timer }?.cancel()
    }
}
