import Foundation
import ProcessTestSupport
import Testing

/// `arttui-server serve` and `migrate` against a database that refuses the URL's password: one line
/// saying so, naming the user and HOST:PORT, never the password, and a non-zero exit within 10 s.
@Suite(.enabled(
    if: ServerFixture.enabled
        && ProcessInfo.processInfo.environment["ARTTUI_TEST_DATABASE_URL"].flatMap { URLComponents(string: $0)?.password } != nil,
    "ARTTUI_TEST_DATABASE_URL has no password: start the cluster with --password-file to test a wrong one"),
    .childProcesses)
struct DatabaseLoginTests {
    @Test(arguments: [["migrate"], ["serve", "--listen", "127.0.0.1:0", "--store", "/nonexistent-arttui-store"]])
    func aWrongPasswordIsReportedAsRefused(command: [String]) async throws {
        var components = URLComponents(string: ProcessInfo.processInfo.environment["ARTTUI_TEST_DATABASE_URL"]!)!
        components.password = "wrong-pw-4711"
        let started = Date()
        let outcome = try await AdminCommandTests.run(command, databaseURL: components.string!)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(outcome.status != 0)
        #expect(outcome.stderr == "arttui-server: error: catalog database refused the password of user \"\(components.user!)\" "
            + "(\(components.host!):\(components.port!)); check the password in the database URL\n", "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("wrong-pw-4711"))
    }
}
