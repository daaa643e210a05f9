import ProcessTestSupport
import Testing

/// `.blockingCalls` moves a test's body off the cooperative pool.
@Suite("blocking calls trait")
struct BlockingCallsTraitTests {
    @Test("a synchronous test body runs on a thread of its own", .blockingCalls)
    func synchronousBody() {
        #expect(ThreadPerJobExecutor.isCurrentThread)
    }

    @Test("an async test body runs on such threads between its suspension points", .blockingCalls)
    func asyncBody() async throws {
        try await Task.sleep(for: .milliseconds(1))
        #expect(ThreadPerJobExecutor.isCurrentThread)
    }

    @Test("without the trait a body runs on the cooperative pool")
    func withoutTheTrait() async {
        #expect(!ThreadPerJobExecutor.isCurrentThread)
    }
}
