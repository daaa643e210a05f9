import ArtifactStore
import Foundation

/// The bound on how many tests run child processes at the same time (an `AsyncSemaphore` of permits).
///
/// Once tests wait for their children without blocking a thread, Swift Testing starts every one of
/// them at once; without a bound, hundreds of `arttui` processes would share two cores and every time
/// bound inside them and inside tmux would fire. A test waiting for a permit is suspended, never
/// blocking a thread. Permits are handed out in the order they were asked for.
///
/// The permit is taken per test (by the `.childProcesses` trait) rather than per process: a test
/// that starts several processes to overlap (concurrent writers, a server and its clients) keeps its
/// meaning, and a test can never hold one permit while waiting for a second.
public final class ChildProcessGate: Sendable {
    /// The gate every test shares: `ARTTUI_TEST_PROCESS_SLOTS` permits, else `slotsPerCore` for
    /// each core.
    public static let shared: ChildProcessGate = {
        guard let text = ProcessInfo.processInfo.environment["ARTTUI_TEST_PROCESS_SLOTS"] else {
            return ChildProcessGate(width: slotsPerCore * ProcessInfo.processInfo.activeProcessorCount)
        }
        guard let width = Int(text), width > 0 else {
            preconditionFailure("ARTTUI_TEST_PROCESS_SLOTS=\(text) is not a whole number above 0")
        }
        return ChildProcessGate(width: width)
    }()

    /// Permits per core by default: the tests spend much of their time waiting for debug builds of
    /// `arttui` to start and for tmux to redraw, so more than one test per core keeps the cores busy.
    /// At 2 per core the server and end-to-end tests ran in 0.52× the time of the pool-bound run with no
    /// stall (BENCHMARKS.md, "async-e2e"); wider was not measured.
    public static let slotsPerCore = 2

    /// Whether the current task runs inside `withPermit`; `ChildProcess.spawn` refuses otherwise.
    @TaskLocal static var isHeld = false

    /// How many tests may hold a permit at once.
    public var width: Int { permits.width }
    private let permits: AsyncSemaphore

    /// A gate of `width` permits.
    public init(width: Int) {
        permits = AsyncSemaphore(width: width)
    }

    /// Runs `body` holding one permit, waiting (suspended) for one to free first when all are held.
    /// A task that holds a permit already runs `body` at once: waiting for a second could deadlock.
    public nonisolated func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        if ChildProcessGate.isHeld { return try await body() }
        return try await permits.withPermit { try await ChildProcessGate.$isHeld.withValue(true) { try await body() } }
    }
}
