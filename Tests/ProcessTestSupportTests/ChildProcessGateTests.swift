import Foundation
import ProcessTestSupport
import Synchronization
import Testing

@Suite("child-process gate")
struct ChildProcessGateTests {
    @Test("no more than its width of holders at once, and every waiter gets its turn")
    func boundsHolders() async {
        let gate = ChildProcessGate(width: 2)
        let holders = Holders()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    await gate.withPermit {
                        holders.enter()
                        try? await Task.sleep(for: .milliseconds(20))
                        holders.leave()
                    }
                }
            }
        }
        #expect(holders.most == 2 && holders.done == 6, "at most \(holders.most) at once, \(holders.done) done")
    }

    @Test("a task holding a permit runs a nested request at once instead of waiting for itself")
    func nestedPermit() async {
        let gate = ChildProcessGate(width: 1)
        let ran = await gate.withPermit { await gate.withPermit { true } }
        #expect(ran)
    }
}

/// How many tasks hold a permit now, the most that did at once, and how many are done.
final class Holders: Sendable {
    private let state = Mutex((now: 0, most: 0, done: 0))

    func enter() { state.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
    func leave() { state.withLock { $0.now -= 1; $0.done += 1 } }
    var most: Int { state.withLock { $0.most } }
    var done: Int { state.withLock { $0.done } }
}
