import Foundation
import ProcessTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// login, whoami and project commands against a real `arttui-server` (local-store development mode,
/// accounts in PostgreSQL). Needs ARTTUI_TEST_DATABASE_URL and the `arttui-server` binary (next to the
/// tests once the server is in the package, else $ARTTUI_SERVER_BINARY); skipped with a printed
/// reason without them. The server it starts is stopped by its process id.
@Suite("real server", .childProcesses)
struct RealServerTests {
    private static let databaseURL = ProcessInfo.processInfo.environment["ARTTUI_TEST_DATABASE_URL"]
        .flatMap { $0.isEmpty ? nil : $0 }

    private static let serverBinary: String? = {
        if let explicit = ProcessInfo.processInfo.environment["ARTTUI_SERVER_BINARY"], !explicit.isEmpty {
            return explicit
        }
        return ArttuiBinary.url.map { $0.deletingLastPathComponent().appendingPathComponent("arttui-server").path }
            .flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
    }()

    /// Runs `arttui-server` to the end and returns its stdout.
    private func serverCommand(_ arguments: [String], sandbox: Sandbox) async throws -> String {
        let server = try await CapturedProcess.run(
            Self.serverBinary ?? "arttui-server", arguments, environment: serverEnvironment(),
            directory: sandbox.root.path, outputs: sandbox.root, timeout: 60)
        try #require(!server.timedOut, "arttui-server \(arguments) did not finish")
        try #require(server.termination.status == 0, "arttui-server \(arguments) failed: \(server.stderr)")
        return server.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func serverEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ARTTUI_") }
        environment["ARTTUI_DATABASE_URL"] = Self.databaseURL
        // Suites run at once on two cores: a slow answer is load, not an outage.
        environment["ARTTUI_DATABASE_TIMEOUT"] = "30"
        return environment
    }

    @Test("login, whoami, project create/ls/set; a stranger's refusals are permission denied or not found")
    func accountsAndProjects() async throws {
        guard let binary = Self.serverBinary, Self.databaseURL != nil else {
            print("skipped: set ARTTUI_TEST_DATABASE_URL and build arttui-server (or set ARTTUI_SERVER_BINARY)")
            return
        }
        let sandbox = try Sandbox()
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let owner = "owner\(suffix)", stranger = "stranger\(suffix)"
        let ownerToken = try await serverCommand(["admin", "user", "add", owner, "--store", "store"], sandbox: sandbox)
        let strangerToken = try await serverCommand(["admin", "user", "add", stranger, "--store", "store"], sandbox: sandbox)
        let port = try LoopbackSocket.freePort()
        let server = try ChildProcess.spawn(
            binary, ["serve", "--store", "store", "--listen", "127.0.0.1:\(port)"], environment: serverEnvironment(),
            directory: sandbox.root.path, stdout: sandbox.path("serve.out").path, stderr: sandbox.path("serve.err").path)
        defer { server.terminateInBackground(grace: 10) }
        let url = "http://127.0.0.1:\(port)"
        let tokenFile = try sandbox.write("owner.token", Data((ownerToken + "\n").utf8)).path
        var login = try await sandbox.run(["login", url], locations: false, stdin: tokenFile)
        for _ in 0..<100 where login.stderr.contains("cannot reach") {
            try await Task.sleep(for: .milliseconds(100))
            login = try await sandbox.run(["login", url], locations: false, stdin: tokenFile)
        }
        #expect(login.stdout == "signed in to \(url) as \(owner)\n", "\(login)")
        #expect(try await sandbox.run(["remote", "add", "team", url], locations: false).status == 0)
        let whoami = try await sandbox.run(["--remote", "team", "whoami", "--json"], locations: false).jsonObject()
        #expect(whoami["name"] as? String == owner)

        let created = try await sandbox.run(["--remote", "team", "project", "create", "mnist"], locations: false)
        #expect(created.stdout == "created \(owner)/mnist (private)\n", "\(created)")
        let shared = try await sandbox.run(["--remote", "team", "project", "create", "\(owner)/shared", "--visibility", "public"],
                                           locations: false)
        #expect(shared.status == 0, "\(shared)")
        let mine = try await sandbox.run(["--remote", "team", "project", "ls", owner, "--json"], locations: false).jsonArray()
        #expect(Set(mine.compactMap { $0["path"] as? String }) == ["\(owner)/mnist", "\(owner)/shared"])
        let opened = try await sandbox.run(["--remote", "team", "project", "set", "shared", "--visibility", "open"],
                                           locations: false)
        #expect(opened.stdout == "\(owner)/shared is now open\n", "\(opened)")

        // The stranger sees the open project only; changing it is refused, the private one does not exist.
        let asStranger = ["ARTTUI_TOKEN": strangerToken]
        let theirs = try await sandbox.run(["--remote", "team", "project", "ls", owner, "--json"], locations: false,
                                           environment: asStranger).jsonArray()
        #expect(theirs.compactMap { $0["path"] as? String } == ["\(owner)/shared"])
        let denied = try await sandbox.fails(["--remote", "team", "project", "set", "\(owner)/shared", "--visibility", "private"],
                                             locations: false, environment: asStranger)
        #expect(denied.stderr.hasPrefix("arttui: error: permission denied: "), "\(denied)")
        let hidden = try await sandbox.fails(["--remote", "team", "project", "set", "\(owner)/mnist", "--visibility", "public"],
                                             locations: false, environment: asStranger)
        #expect(hidden.stderr == "arttui: error: project \"\(owner)/mnist\" not found\n", "\(hidden)")
        for result in [denied, hidden] {
            #expect(!result.stderr.contains(strangerToken) && !result.stderr.contains(ownerToken))
        }

        let bogus = try await sandbox.fails(["--remote", "team", "whoami"], locations: false,
                                            environment: ["ARTTUI_TOKEN": "not-a-token"])
        #expect(bogus.stderr.contains("$ARTTUI_TOKEN was refused by \(url)"), "\(bogus)")
        #expect(try await sandbox.run(["logout", "team"], locations: false).status == 0)
        let signedOut = try await sandbox.fails(["--remote", "team", "whoami"], locations: false)
        #expect(signedOut.stderr.contains("not signed in to \(url)"), "\(signedOut)")
    }
}
