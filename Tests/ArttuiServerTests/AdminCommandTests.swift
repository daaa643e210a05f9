import ArtifactWire
import Foundation
@testable import ArttuiServer
import ProcessTestSupport
import Testing

/// The `arttui-server admin …` commands, run as the built binary against a database of their own.
@Suite(.enabled(if: ServerFixture.enabled), .childProcesses) struct AdminCommandTests {
    /// The built `arttui-server`, beside the test bundle (or ARTTUI_SERVER_BIN).
    static var binary: URL {
        if let explicit = ProcessInfo.processInfo.environment["ARTTUI_SERVER_BIN"] {
            return URL(fileURLWithPath: explicit)
        }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("arttui-server")
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `arttui-server ARGUMENTS` on the database `databaseURL` to the end (at most 120 s);
    /// `settings` are set (nil: removed) in the environment it inherits.
    static func run(_ arguments: [String], databaseURL: String, settings: [String: String?] = [:]) async throws -> Outcome {
        var environment = ProcessInfo.processInfo.environment
        environment["ARTTUI_DATABASE_URL"] = databaseURL
        for (name, value) in settings { environment[name] = value }
        // Suites run at once on two cores: a slow connection is load, not an outage.
        environment["ARTTUI_DATABASE_TIMEOUT"] = "30"
        let server = try await CapturedProcess.run(binary.path, arguments, environment: environment, timeout: 120)
        try #require(!server.timedOut, "arttui-server \(arguments.joined(separator: " ")) did not finish")
        return Outcome(status: server.termination.status, stdout: server.stdout, stderr: server.stderr)
    }

    @Test func usersTokensAndTeamsFromTheCommandLine() async throws {
        try await ServerFixture.withDatabase { url, accounts in
            let add = try await Self.run(["admin", "user", "add", "alice", "--admin"], databaseURL: url)
            #expect(add.status == 0, "\(add.stderr)")
            let token = add.stdout.trimmingCharacters(in: .newlines)
            #expect(add.stdout == token + "\n", "only the token, on one line")
            #expect(TokenShape.matches(token), "\(token)")
            #expect(try await accounts.caller(token: token)?.isAdmin == true)

            let second = try await Self.run(["admin", "token", "add", "alice"], databaseURL: url)
            #expect(second.status == 0)
            let other = second.stdout.trimmingCharacters(in: .newlines)
            #expect(other != token)
            #expect(try await accounts.caller(token: other)?.name == "alice")

            #expect(try await Self.run(["admin", "team", "add", "vision"], databaseURL: url).status == 0)
            #expect(try await Self.run(["admin", "user", "add", "bob"], databaseURL: url).status == 0)
            let member = try await Self.run(["admin", "team", "member", "vision", "bob", "--role", "viewer"], databaseURL: url)
            #expect(member.status == 0, "\(member.stderr)")

            let revoke = try await Self.run(["admin", "token", "revoke", "alice"], databaseURL: url)
            #expect(revoke.status == 0)
            #expect(try await accounts.caller(token: token) == nil)
            #expect(try await accounts.caller(token: other) == nil)

            // Mistakes: one line naming the cause, non-zero exit.
            let twice = try await Self.run(["admin", "user", "add", "alice"], databaseURL: url)
            #expect(twice.status != 0)
            #expect(twice.stdout.isEmpty)
            #expect(twice.stderr.contains("\"alice\" is already a user or team"))
            #expect(twice.stderr.split(separator: "\n").count == 1)
            let nobody = try await Self.run(["admin", "team", "member", "vision", "nobody", "--role", "member"], databaseURL: url)
            #expect(nobody.status != 0)
            #expect(nobody.stderr.contains("no user named \"nobody\""))
            let badRole = try await Self.run(["admin", "team", "member", "vision", "bob", "--role", "owner"], databaseURL: url)
            #expect(badRole.status != 0)
        }
    }

    @Test("--expires-in: a token that expires is refused once it has, saying so; a bad value is one line")
    func tokensExpireWhenAsked() async throws {
        try await ServerFixture.withDatabase { url, accounts in
            let user = try await Self.run(["admin", "user", "add", "carol", "--expires-in", "2s"], databaseURL: url)
            #expect(user.status == 0, "\(user.stderr)")
            let shortLived = user.stdout.trimmingCharacters(in: .newlines)
            let issued = Date()
            // Checked before running anything else: starting another debug binary can take 2 s on a busy machine.
            #expect(try await accounts.caller(token: shortLived)?.name == "carol")
            let month = try await Self.run(["admin", "token", "add", "carol", "--expires-in", "30d"], databaseURL: url)
            #expect(month.status == 0, "\(month.stderr)")
            let longLived = month.stdout.trimmingCharacters(in: .newlines)
            #expect(month.stdout == longLived + "\n", "only the token, on one line")

            for bad in ["3x", "30", "d", "0d", "-1h", "99999d", "1.5h"] {
                for command in [["admin", "token", "add", "carol"], ["admin", "user", "add", "dave"]] {
                    let refused = try await Self.run(command + ["--expires-in=\(bad)"], databaseURL: url)
                    #expect(refused.status != 0, "\(command) --expires-in \(bad)")
                    #expect(refused.stdout.isEmpty)
                    #expect(refused.stderr.hasPrefix("arttui-server: error: expiry \"\(bad)\""), "\(refused.stderr)")
                    #expect(refused.stderr.split(separator: "\n").count == 1)
                }
            }
            #expect(try await accounts.entityExists("dave") == false, "nothing stored for a refused value")

            let remaining = 2.5 - Date().timeIntervalSince(issued)
            if remaining > 0 { try await Task.sleep(for: .seconds(remaining)) }
            #expect(try await accounts.caller(token: shortLived) == nil)
            guard case .expired = try await accounts.refusal(token: shortLived) else {
                Issue.record("an expired token's refusal names its expiry")
                return
            }
            #expect(try await accounts.caller(token: longLived)?.name == "carol", "the other token still works")
        }
    }

    @Test func wrongPasswordAndUnreachableDatabaseFailFastWithOneLine() async throws {
        let base = try DatabaseURL(ProcessInfo.processInfo.environment["ARTTUI_TEST_DATABASE_URL"]!)
        let closed = "postgres://nobody:secret@127.0.0.1:1/none"
        let started = Date()
        let unreachable = try await Self.run(["admin", "user", "add", "x"], databaseURL: closed)
        #expect(unreachable.status != 0)
        #expect(unreachable.stderr.contains("cannot reach the database at postgres://nobody@127.0.0.1:1/none"))
        #expect(unreachable.stderr.split(separator: "\n").count == 1)
        #expect(!unreachable.stderr.contains("secret"))
        #expect(Date().timeIntervalSince(started) < 10)
        _ = base

        // A URL that is not PostgreSQL's names the flag it came from and the URL, never its password.
        for (arguments, setting) in [(["--database-url", "mysql://u:pw-secret@127.0.0.1/x"], "--database-url"), ([], "$ARTTUI_DATABASE_URL")] {
            let wrong = try await Self.run(["migrate"] + arguments, databaseURL: "mysql://u:pw-secret@127.0.0.1/x")
            #expect(wrong.status != 0)
            #expect(wrong.stderr == "arttui-server: error: \(setting) \"mysql://u@127.0.0.1/x\" starts with mysql://, not postgres:// "
                + "(postgres://USER:PASSWORD@HOST:PORT/DATABASE)\n", "\(wrong.stderr)")
        }
    }

    @Test(.enabled(
        if: ProcessInfo.processInfo.environment["ARTTUI_TEST_DATABASE_URL"].flatMap { URLComponents(string: $0)?.password } != nil,
        "ARTTUI_TEST_DATABASE_URL has no password: start the cluster with --password-file to test a URL without one"))
    func aURLWithoutThePasswordTheServerAsksForSaysSo() async throws {
        var components = URLComponents(string: ProcessInfo.processInfo.environment["ARTTUI_TEST_DATABASE_URL"]!)!
        components.password = nil
        let outcome = try await Self.run(["admin", "user", "add", "x"], databaseURL: components.string!)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.hasPrefix("arttui-server: error: catalog database asks for a password for user \"\(components.user!)\" "
            + "and the database URL has none (\(components.host!):\(components.port!))\n"), "\(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1)
    }
}
