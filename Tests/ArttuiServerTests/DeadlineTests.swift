@testable import ArttuiServer
import Foundation
import Hummingbird
import Synchronization
import Testing

/// `withDeadline`: the answer comes at the limit even when the work ignores cancellation, as a query to
/// a hung database does.
struct DeadlineTests {
    struct Overdue: Error {}

    // No wall-clock bound is asserted: the whole `swift test` process shares two cooperative threads with
    // synchronous end-to-end tests, which can hold both for a minute. The work below would end with a
    // result, so the Overdue error alone proves the answer came from the limit, before the work ended.
    @Test func workThatIgnoresCancellationFailsAtTheLimitNotWhenItEnds() async throws {
        await #expect(throws: Overdue.self) {
            try await withDeadline(.milliseconds(200), overdue: { Overdue() }) {
                // Like a postgres-nio query to a stopped server: it does not end when cancelled. It ends
                // after 150 turns of its own rather than at a time: a pool held by other tests for longer
                // than its time would otherwise let it end in the first turn it gets, before the timer's,
                // which was due long before.
                for _ in 0..<150 { try? await Task.sleep(for: .milliseconds(20)) }
                return 1
            }
        }
    }

    // The work would end with a result long before the limit: only the caller's cancellation can make
    // the answer a CancellationError.
    @Test func aCancelledCallerIsAnsweredAtOnceAndItsWorkCancelled() async throws {
        // Whether the work saw its cancellation, set once it stops; nil while it runs.
        let workCancelled = Mutex<Bool?>(nil)
        let caller = Task {
            try await withDeadline(.seconds(600), overdue: { Overdue() }) {
                let end = ContinuousClock.now + .seconds(3)
                repeat { try? await Task.sleep(for: .milliseconds(20)) } while !Task.isCancelled && ContinuousClock.now < end
                workCancelled.withLock { $0 = Task.isCancelled }
                return 1
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
        // The work stops by its own clock at the latest, so this wait ends without a bound of its own.
        while workCancelled.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(20)) }
        #expect(workCancelled.withLock { $0 } == true)
    }

    @Test func workThatEndsInTimeGivesItsResultOrError() async throws {
        #expect(try await withDeadline(.seconds(5), overdue: { Overdue() }) { 42 } == 42)
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await withDeadline(.seconds(5), overdue: { Overdue() }) { () async throws -> Int in throw Refused() }
        }
    }

    @Test(.enabled(if: ServerFixture.enabled)) func readinessSaysNotReadyWhileTheBucketDoesNotAnswer() async throws {
        try await ServerFixture.run { _, accounts, store in
            let api = ArttuiAPI(store: store, accounts: accounts, objectsReachable: {
                // A bucket that accepts connections and never answers, as `kill -STOP` of SeaweedFS makes.
                let end = ContinuousClock.now + .seconds(8)
                while ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(50)) }
                return nil
            })
            // The bucket "answers" reachable after 8 s: only the limit can make readiness refuse.
            do {
                _ = try await api.readiness()
                Issue.record("readiness answered ready while the object store did not answer")
            } catch let error as APIError {
                #expect(error.status == .serviceUnavailable)
                #expect(error.detail.contains("object store: no answer within"))
            }
        }
    }
}
