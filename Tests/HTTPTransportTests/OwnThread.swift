import Foundation

/// Runs `body`, a blocking call, on a thread of its own and awaits its result: the transport holds its
/// thread for a whole request (up to its timeouts), which on one of the cooperative threads the test
/// process shares would stall every other suite's async work meanwhile.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
