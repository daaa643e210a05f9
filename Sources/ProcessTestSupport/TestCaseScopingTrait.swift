import Testing

/// A trait whose scope is each test case: on a suite it applies to every test in it, and a suite or a
/// parameterized test as a whole gets none (its cases would otherwise wait inside the scope it holds,
/// for a permit, or run where it runs).
public protocol TestCaseScopingTrait: TestTrait, SuiteTrait, TestScoping {}

extension TestCaseScopingTrait {
    /// Every test of the suite gets its own scope.
    public var isRecursive: Bool { true }

    /// A scope for each test case only.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }
}
