import Foundation
import Testing

/// `ls ENTITY/PROJECT` for a project that does not exist names that project, not only the other reading
/// of two names (`PROJECT/NAME` in the caller's entity), which read `project "alice/alice" not found`.
@Suite(.enabled(if: TwoServersEnvironment.enabled), .serialized, .childProcesses) struct ScopeNotFoundTests {
    @Test func neitherReadingOfTwoNamesExistingNamesBoth() async throws {
        try await TwoServersTests.withServers(1) { servers, clients, _ in
            let home = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-scope-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: home) }
            let environment = ["ARTTUI_TOKEN": clients[0].token]
            let whoami = try await RemoteCommandsTests.arttui(
                ["--remote", servers[0].url.absoluteString, "whoami", "--json"], home: home, environment: environment)
            let me = try #require(
                (try JSONSerialization.jsonObject(with: Data(whoami.stdout.utf8)) as? [String: Any])?["name"] as? String)
            let missing = try await RemoteCommandsTests.arttui(
                ["--remote", servers[0].url.absoluteString, "ls", "\(me)/nope"], home: home, environment: environment)
            #expect(missing.status != 0)
            #expect(missing.stderr == "arttui: error: project \"\(me)/nope\" not found, nor a project \"\(me)/\(me)\" to hold \"nope\"\n",
                    "\(missing)")
        }
    }
}
