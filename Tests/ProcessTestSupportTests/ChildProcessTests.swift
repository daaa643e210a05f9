import Foundation
import ProcessTestSupport
import Synchronization
import Testing

/// Children are waited for without holding a thread of the cooperative pool, their output cannot
/// fill a pipe, and a child that outlives its timeout is killed.
@Suite("child processes", .childProcesses)
struct ChildProcessTests {
    @Test("waiting for several children on one thread leaves that thread free for other tasks")
    func waitingLeavesTheThreadFree() async throws {
        // One thread runs the waits and a ticker: a wait that blocked it would stop the ticker. (The
        // cooperative pool itself is shared with every other test of the run, which may hold it.)
        let thread = OneThreadExecutor()
        let children = try (0..<5).map { _ in try ChildProcess.spawn("/bin/sleep", ["0.5"]) }
        let ticks = Ticks()
        let ticker = Task(executorPreference: thread) {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(10))
                ticks.add()
            }
        }
        let ended = await withTaskExecutorPreference(thread) {
            await withTaskGroup(of: ChildProcess.Termination?.self) { group in
                for child in children { group.addTask { await child.wait(timeout: 60) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        ticker.cancel()
        #expect(ended.allSatisfy { $0?.succeeded == true }, "\(ended)")
        #expect(ticks.value >= 3, "only \(ticks.value) ticks of 10 ms while 5 children ran for 0.5 s")
    }

    @Test("a child writing more than a pipe holds finishes, and all it wrote is read back")
    func chattyChild() async throws {
        let output = try await CapturedProcess.run(
            "/bin/sh", ["-c", "head -c 1000000 /dev/zero | tr '\\0' x; echo done >&2"], timeout: 60)
        #expect(output.termination.succeeded && !output.timedOut)
        #expect(output.stdout.count == 1_000_000 && output.stdout.allSatisfy { $0 == "x" })
        #expect(output.stderr == "done\n")
    }

    /// The child sleeps far longer than any stall of the test process: at the start of a full run on a
    /// loaded machine the cooperative pool is busy with hundreds of synchronous unit tests, and a
    /// waiter resumed 84 s late once saw a 30 s child end by itself. The SIGKILL shows it was killed.
    @Test("a child that outlives its timeout is killed, and says so")
    func timeoutKills() async throws {
        let started = ContinuousClock.now
        let output = try await CapturedProcess.run("/bin/sleep", ["900"], timeout: 0.3)
        #expect(output.timedOut)
        #expect(output.termination == ChildProcess.Termination(status: SIGKILL, signalled: true))
        // Killed near its timeout, not whenever: far above the 84 s stall seen, far below the child's 900 s.
        #expect(ContinuousClock.now - started < .seconds(180))
    }

    @Test("a test without the gate's permit cannot start a child")
    func spawnOutsideTheGate() async throws {
        let escaped = Task.detached { try ChildProcess.spawn("/bin/true", []) }
        await #expect(throws: ChildProcessError.self) { try await escaped.value }
    }
}

/// A counter tasks share.
final class Ticks: Sendable {
    private let count = Mutex(0)

    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// A task executor running every job on one Dispatch queue, so one thread at a time.
final class OneThreadExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "arttui.tests.serial-executor")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
