import Dispatch
import Synchronization

/// Stat cache entries being written on another thread (`StatCache.stage(_:)`), in a transaction that
/// waits for `finish(keeping:)` to commit or roll it back.
final class StagedStatEntries: Sendable {
    /// Thrown inside the transaction to roll it back.
    struct Discarded: Error {}

    /// What the two threads share; the writing thread holds this, not the caller's handle, so that a
    /// handle dropped without `finish(keeping:)` still ends the transaction (rolled back).
    final class Decision: Sendable {
        private let keeping = Atomic<Bool>(false)
        private let decided = DispatchSemaphore(value: 0)
        private let over = DispatchSemaphore(value: 0)

        fileprivate func decide(keeping: Bool) {
            self.keeping.store(keeping, ordering: .releasing)
            decided.signal()
        }

        fileprivate func waitUntilOver() { over.wait() }

        /// Waits for the caller's decision and returns it: true to commit (the writing thread's side).
        func awaitDecision() -> Bool {
            decided.wait()
            return keeping.load(ordering: .acquiring)
        }

        /// The transaction is over, committed or not (the writing thread's side).
        func markOver() { over.signal() }
    }

    let decision = Decision()
    private let finished = Atomic<Bool>(false)

    /// Commits the entries (`keeping`) or rolls them back, and returns once the transaction is over,
    /// so that nothing is left writing when the process ends. Only the first call counts.
    func finish(keeping: Bool) {
        guard !finished.exchange(true, ordering: .acquiringAndReleasing) else { return }
        decision.decide(keeping: keeping)
        decision.waitUntilOver()
    }

    deinit {
        if !finished.load(ordering: .acquiring) { decision.decide(keeping: false) }
    }
}
