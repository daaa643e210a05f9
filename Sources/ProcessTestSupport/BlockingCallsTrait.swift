import Foundation
import Testing

/// Runs each test case on threads of its own instead of Swift's cooperative pool: the trait of tests
/// whose bodies block (a synchronous catalog waiting for PostgreSQL, a libcurl request waiting out its
/// timeout, NIO's `wait()`). The whole test process shares one cooperative thread per core, and a
/// blocked one stalls every other suite's async work (in-process servers, deadlines) meanwhile.
public struct BlockingCallsTrait: TestCaseScopingTrait {
    /// Runs the test case with `ThreadPerJobExecutor` as its task executor: its synchronous code, and
    /// its async code between suspension points, runs on a thread started for it.
    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) { try await function() }
    }
}

extension Trait where Self == BlockingCallsTrait {
    /// The test (or every test of the suite) makes blocking calls: it runs on threads of its own.
    public static var blockingCalls: Self { BlockingCallsTrait() }
}

/// A task executor that runs each job on a new thread, so a job that blocks holds only its own.
public final class ThreadPerJobExecutor: TaskExecutor {
    /// The one instance the trait uses.
    public static let shared = ThreadPerJobExecutor()
    private static let threadMarker = "arttui.tests.thread-per-job"

    /// Whether the calling code runs on a thread this executor started.
    public static var isCurrentThread: Bool { Thread.current.threadDictionary[threadMarker] as? Bool == true }

    /// Runs `job` on a thread started for it.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let thread = Thread { [self] in
            Thread.current.threadDictionary[Self.threadMarker] = true
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
        thread.start()
    }
}
