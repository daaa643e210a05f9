import Foundation

/// Runs workers on threads of their own and waits for all of them. Transfers from a team server wait
/// on the network, so they want more workers than the machine has cores, which is all
/// `DispatchQueue.concurrentPerform` runs at once.
public enum WorkerThreads {
    /// Runs `body(worker)` for workers `0..<count` at once and returns when every one has.
    public static func run(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        start(count, body).wait()
    }

    /// Starts `body(worker)` for workers `0..<count` at once; the group is done when every one has returned.
    public static func start(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) -> DispatchGroup {
        let group = DispatchGroup()
        for worker in 0..<max(1, count) {
            group.enter()
            let thread = Thread {
                body(worker)
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        return group
    }
}
