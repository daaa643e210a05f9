/// A counting semaphore for tasks: at most `width` bodies run under it at once, and a task waiting
/// for a permit is suspended, never holding a thread. Permits go to waiters in the order they asked.
public actor AsyncSemaphore {
    /// How many permits there are.
    public nonisolated let width: Int
    private var holders = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// A semaphore of `width` permits (at least one).
    public init(width: Int) {
        precondition(width > 0, "a semaphore needs at least one permit")
        self.width = width
    }

    /// Runs `body` holding one permit, waiting (suspended) for one to free first when all are held;
    /// the permit is returned however `body` ends.
    public nonisolated func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        if holders < width {
            holders += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the permit to the longest waiter, or returns it.
    private func release() {
        if waiting.isEmpty {
            holders -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
