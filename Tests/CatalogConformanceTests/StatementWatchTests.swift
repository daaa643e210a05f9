@testable import ArtifactStorePostgres
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// The one timer that holds async statements to the pool's timeouts: a statement that runs long is
/// probed once, abandoned with the probe's error when the server does not answer, and abandoned as
/// overdue past its deadline; one that ends in time is left alone.
@Suite("Statement watch")
struct StatementWatchTests {
    struct ProbeFailed: Error, Equatable {}
    struct Overdue: Error, Equatable {}

    final class Outcomes: Sendable {
        let reasons = NIOLockedValueBox<[String: String]>([:])
        let probes = NIOLockedValueBox(0)
        func abandon(_ name: String) -> @Sendable (any Error) -> Void {
            // The first reason counts, as in the session.
            { [self] error in reasons.withLockedValue { $0[name] = $0[name] ?? "\(error)" } }
        }
    }

    @Test func longStatementsAreProbedThenAbandonedAndQuickOnesLeftAlone() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let outcomes = Outcomes()
        let failingProbe = StatementWatch(
            limits: .init(probeAfter: .milliseconds(300), deadline: .seconds(30)), eventLoop: group.next(),
            probe: {
                outcomes.probes.withLockedValue { $0 += 1 }
                return group.next().makeFailedFuture(ProbeFailed())
            },
            overdue: { Overdue() })
        let quick = failingProbe.begin(abandon: outcomes.abandon("quick"))
        failingProbe.end(quick)
        _ = failingProbe.begin(abandon: outcomes.abandon("slow"))
        _ = failingProbe.begin(abandon: outcomes.abandon("slow too"))

        let answeringProbe = StatementWatch(
            limits: .init(probeAfter: .milliseconds(100), deadline: .milliseconds(600)), eventLoop: group.next(),
            probe: { group.next().makeSucceededVoidFuture() }, overdue: { Overdue() })
        _ = answeringProbe.begin(abandon: outcomes.abandon("stuck"))

        // Checked every 250 ms: the three are abandoned within a second, waited for longer on a busy machine.
        let start = ContinuousClock.now
        while outcomes.reasons.withLockedValue({ $0.count }) < 3, ContinuousClock.now - start < .seconds(10) {
            try await Task.sleep(for: .milliseconds(50))
        }
        failingProbe.stop()
        answeringProbe.stop()
        #expect(outcomes.reasons.withLockedValue { $0 } == [
            "slow": "\(ProbeFailed())", "slow too": "\(ProbeFailed())", "stuck": "\(Overdue())",
        ])
        // One login answers for both long statements of the failing pool.
        #expect(outcomes.probes.withLockedValue { $0 } == 1)
    }
}
