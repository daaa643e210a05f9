import ArtifactStore
import ArtifactWire
import Foundation
import ProcessTestSupport
import Testing

/// The `arttui` browser on a real team stack (PostgreSQL, an S3 store, `arttui-server`), in tmux:
/// the projects pane shows `ENTITY/PROJECT` with its visibility, an alias added with the keyboard is
/// on the server (`show --json` says so), and a viewer's `d` is refused in the status line with the
/// version still there. Skipped, with the reason printed, without ARTTUI_TEST_DATABASE_URL and
/// ARTTUI_TEST_S3_ENDPOINT, or without tmux.
@Suite(.enabled(if: TwoServersEnvironment.enabled && TmuxPresence.present), .serialized, .childProcesses)
struct RemoteBrowserTmuxTests {
    /// The browser on `url` as the holder of `token`, in a tmux session of its own under `home`.
    static func browser(url: String, token: String, home: URL, name: String) async throws -> TmuxSession {
        let environment = [
            "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=\(home.path)", "XDG_CONFIG_HOME=\(home.path)/.config",
            "XDG_CACHE_HOME=\(home.path)/.cache", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=xterm-256color", "TZ=UTC",
            "ARTTUI_TOKEN=\(token)", "ARTTUI_REMOTE=\(url)",
        ]
        let command = (["env", "-i"] + environment + [RemoteCommandsTests.arttui.path]).map(shellQuoted).joined(separator: " ")
        return try await TmuxSession(socket: home.appendingPathComponent("\(name).sock"), command: command, width: 120, height: 30)
    }

    @Test func aliasAddedWithTheKeyboardIsOnTheServerAndAViewersDeleteIsRefused() async throws {
        try await TwoServersTests.withServers(1) { servers, clients, environment in
            let home = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-tui-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: home) }
            let root = clients[0]
            let url = servers[0].url.absoluteString
            let viewerToken = try await TwoServersTests.teamWithViewer(environment: environment)
            let (created, _) = try await root.send(
                "POST", "/api/v1/projects", json: WireProjectCreation(entity: "team", name: "vision", visibility: "public"))
            try #require(created == 201)
            _ = try await root.put("team/vision", "mnist", PreparedUpload(files: ["digits.txt": Data("0123456789\n".utf8)]))

            // root adds an alias with the keyboard.
            let owner = try await Self.browser(url: url, token: root.token, home: home, name: "owner")
            defer { owner.kill() }
            try await owner.waitFor("root/shared", "team/vision", "[public]", "[private]")
            try await owner.press("j", "Enter")
            try await owner.waitFor("2 Artifacts · team/vision", "mnist")
            try await owner.press("Enter")
            try await owner.waitFor("3 Versions · mnist", "[latest]")
            try await owner.press("a")
            try await owner.waitFor("Add alias to team/vision/mnist:v0")
            try await owner.type("candidate")
            try await owner.press("Enter")
            try await owner.waitFor("v0 is now candidate", "aliases  latest, candidate")
            // F searches the server with the expression as typed; Enter jumps to the version found, in an
            // artifact made after the browser listed the project's.
            _ = try await root.put("team/vision", "notes", PreparedUpload(files: ["a.txt": Data("a\n".utf8), "b.txt": Data("b\n".utf8)]))
            try await owner.press("F")
            try await owner.waitFor("Find versions")
            try await owner.type("files >= 2")
            try await owner.press("Enter")
            try await owner.waitFor("1 versions match", "team/vision/notes:v0")
            try await owner.press("Enter")
            try await owner.waitFor("│ team/vision/notes:v0")
            try await owner.press("q")
            try await owner.waitUntil("the browser to end") { _ in try await owner.commandEnded() }

            let shown = try await RemoteCommandsTests.arttui(
                ["--remote", url, "show", "team/vision/mnist:v0", "--json"], home: home, environment: ["ARTTUI_TOKEN": root.token])
            try #require(shown.status == 0, "\(shown)")
            let version = try JSONDecoder().decode(WireVersion.self, from: Data(shown.stdout.utf8))
            #expect(version.aliases.contains("candidate"), "\(shown)")

            // vic only views the team's projects: `d` is refused with the server's reason, and v0 stays.
            let viewer = try await Self.browser(url: url, token: viewerToken, home: home, name: "viewer")
            defer { viewer.kill() }
            try await viewer.waitFor("team/vision", "[public]")
            try await viewer.press("Enter")
            try await viewer.waitFor("2 Artifacts · team/vision", "mnist")
            try await viewer.press("Enter")
            try await viewer.waitFor("3 Versions · mnist", "aliases  latest, candidate")
            try await viewer.press("d")
            // A viewer may see what deleting would free; the server refuses the delete itself.
            let asked = try await viewer.waitUntil("the delete dialog's preview or the refusal") {
                $0.contains("Frees ") || $0.contains("permission denied")
            }
            if asked.contains("Frees ") {
                // Focus starts on Cancel; the button before it deletes (with the hand-set alias).
                try await viewer.press("Left")
                try await viewer.waitFor("[ Delete with aliases ]")
                try await viewer.press("Enter")
            }
            let refused = try await viewer.waitFor("permission denied")
            #expect(refused.contains("aliases  latest, candidate"), "the version is still shown:\n\(refused)")
            try await viewer.press("q")

            let still = try await RemoteCommandsTests.arttui(
                ["--remote", url, "show", "team/vision/mnist:v0", "--json"], home: home, environment: ["ARTTUI_TOKEN": root.token])
            #expect(still.status == 0, "v0 survived the viewer's d: \(still)")
        }
    }
}

/// Whether tmux is there to drive the browser; says so when it is not.
enum TmuxPresence {
    static var present: Bool {
        if TmuxSession.executable == nil { print("tmux is not installed: skipping the browser-on-a-server test") }
        return TmuxSession.executable != nil
    }
}
