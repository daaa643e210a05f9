import Synchronization

/// Runs `body` and fails with `overdue()` once `limit` has passed, without waiting for `body` to notice.
///
/// A task group would wait for its slow child on the way out, and a database that stops answering
/// (a hung host keeps its connections open) never lets a postgres-nio query end: the request would hang
/// until the database came back. Here the late `body` is cancelled and left to finish on its own.
func withDeadline<T: Sendable>(
    _ limit: Duration, overdue: @escaping @Sendable () -> any Error, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = DeadlineRace<T>()
    return try await withCheckedThrowingContinuation { continuation in
        race.start(continuation)
        race.timer(Task {
            try? await Task.sleep(for: limit)
            guard !Task.isCancelled else { return }
            race.finish(.failure(overdue()))
        })
        race.work(Task {
            do {
                race.finish(.success(try await body()))
            } catch {
                race.finish(.failure(error))
            }
        })
    }
}

/// The caller waiting in `withDeadline`, resumed once by whichever of the work and the timer ends first.
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var timer: Task<Void, Never>?
        var work: Task<Void, Never>?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    func timer(_ task: Task<Void, Never>) {
        state.withLock { $0.timer = task }
    }

    func work(_ task: Task<Void, Never>) {
        state.withLock { $0.work = task }
    }

    /// Resumes the caller with `result` if nothing did yet, and stops the other side.
    func finish(_ result: Result<T, any Error>) {
        let ended = state.withLock { state -> State in
            defer { state.continuation = nil }
            return state
        }
        guard let continuation = ended.continuation else { return }
        ended.timer?.cancel()
        ended.work?.cancel()
        continuation.resume(with: result)
    }
}
