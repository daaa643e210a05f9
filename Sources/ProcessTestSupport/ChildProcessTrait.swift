import Testing

/// Runs each test case, or each case of every test in a suite, holding a permit of
/// `ChildProcessGate.shared`: the trait of every test that starts child processes.
public struct ChildProcessTrait: TestCaseScopingTrait {
    /// Runs the test case holding a permit.
    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await ChildProcessGate.shared.withPermit { try await function() }
    }
}

extension Trait where Self == ChildProcessTrait {
    /// The test (or every test of the suite) starts child processes: it runs holding a permit of
    /// `ChildProcessGate.shared`, which bounds how many such tests run at once.
    public static var childProcesses: Self { ChildProcessTrait() }
}
