import Synchronization

/// Runs `body` and fails with `overdue()` once `limit` has passed, without waiting for `body` to notice.
///
/// A task group would wait for its slow child on the way out, and a database that stops answering
/// (a hung host keeps its connections open) never lets a postgres-nio query end: the request would hang
/// until the database came back. Here the late `body` is cancelled and left to finish on its own. A
/// cancelled caller is answered at once with `CancellationError`, and `body` is cancelled with it.
func withDeadline<T: Sendable>(
    _ limit: Duration, overdue: @escaping @Sendable () -> any Error, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = DeadlineRace<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.start(continuation)
            race.hold(Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                race.finish(.failure(overdue()))
            })
            race.hold(Task {
                do {
                    race.finish(.success(try await body()))
                } catch {
                    race.finish(.failure(error))
                }
            })
        }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// The caller waiting in `withDeadline`, resumed once by whichever of the work, the timer and the
/// caller's cancellation ends first; the others are then cancelled.
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var finished = false
        var tasks: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Takes the caller's continuation; one finished already (a caller cancelled before it got here) is
    /// resumed with that cancellation at once.
    func start(_ continuation: CheckedContinuation<T, any Error>) {
        let finished = state.withLock { state -> Bool in
            if !state.finished { state.continuation = continuation }
            return state.finished
        }
        if finished { continuation.resume(throwing: CancellationError()) }
    }

    /// Keeps `task` to cancel when the race ends, or cancels it now if it already has.
    func hold(_ task: Task<Void, Never>) {
        let finished = state.withLock { state -> Bool in
            if !state.finished { state.tasks.append(task) }
            return state.finished
        }
        if finished { task.cancel() }
    }

    /// Resumes the caller with `result` if nothing did yet, and stops the other sides.
    func finish(_ result: Result<T, any Error>) {
        let ended = state.withLock { state -> State? in
            guard !state.finished else { return nil }
            defer { state = State(continuation: nil, finished: true, tasks: []) }
            return state
        }
        guard let ended else { return }
        for task in ended.tasks { task.cancel() }
        ended.continuation?.resume(with: result)
    }
}
