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

    /// `ls TEAM` reads TEAM as a project of the caller's own; when TEAM is an entity they can see, the error
    /// says so and names the command that lists its projects, instead of `project "vic/team" not found`.
    @Test func anEntityGivenAsAProjectIsNamedAsAnEntity() async throws {
        try await TwoServersTests.withServers(1) { servers, _, environment in
            let home = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-scope-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: home) }
            let viewer = ["ARTTUI_TOKEN": try await TwoServersTests.teamWithViewer(environment: environment)]
            let server = servers[0].url.absoluteString
            for json in [false, true] {
                let team = try await RemoteCommandsTests.arttui(
                    ["--remote", server, "ls", "team"] + (json ? ["--json"] : []), home: home, environment: viewer)
                #expect(team.status != 0)
                #expect(team.stdout.isEmpty)
                #expect(team.stderr == "arttui: error: \"team\" is an entity, not a project of vic: "
                    + "arttui --remote \(server) project ls team lists its projects\n", "\(team)")
            }
            // The hint points somewhere true: that command lists the team's projects.
            let listed = try await RemoteCommandsTests.arttui(
                ["--remote", server, "project", "ls", "team"], home: home, environment: viewer)
            #expect(listed.status == 0, "\(listed)")
            // A name that is no entity either is still a missing project of the caller's own.
            let nothing = try await RemoteCommandsTests.arttui(["--remote", server, "ls", "nope"], home: home, environment: viewer)
            #expect(nothing.status != 0)
            #expect(nothing.stderr.contains("project \"vic/nope\" not found"), "\(nothing)")
        }
    }
}
