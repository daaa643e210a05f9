import Foundation
import ProcessTestSupport
import Testing

/// A refused token's message keeps the server's reason and gives the advice that fits where the token
/// came from: `$ARTTUI_TOKEN` is set anew, a stored token is replaced by signing in again, and inside
/// `arttui login` there is no advice to run login.
@Suite("token refusals", .childProcesses)
struct TokenRefusalTests {
    private static let expiry = "the token expired at 2026-01-01T00:00:00Z"

    /// Whether the server has revoked `tok-alice`.
    private final class Revocation: @unchecked Sendable {
        private let lock = NSLock()
        private var revoked = false
        var isRevoked: Bool { lock.withLock { revoked } }
        func revoke() { lock.withLock { revoked = true } }
    }

    /// A responder accepting `tok-alice` until it is revoked, and refusing `tok-old` as expired.
    private func server(_ revocation: Revocation) throws -> LoopbackHTTPResponder {
        try LoopbackHTTPResponder { request in
            guard request.target == "/api/v1/whoami" else { return .problem(404, "no route \(request.target)") }
            switch request.headers["authorization"] {
            case "Bearer tok-alice":
                return revocation.isRevoked ? .problem(401, "the token was revoked")
                    : .json(200, #"{"name":"alice","admin":false,"teams":[]}"#)
            case "Bearer tok-old": return .problem(401, Self.expiry)
            case nil: return .problem(401, "this route needs a token")
            default: return .problem(401, "the token is not known to this server")
            }
        }
    }

    @Test func theAdviceFollowsWhereTheTokenCameFrom() async throws {
        let sandbox = try Sandbox()
        let revocation = Revocation()
        let server = try server(revocation)
        defer { server.stop() }
        let url = server.url

        let fromInput = try await sandbox.run(
            ["login", url], locations: false, stdin: sandbox.write("stdin", Data("tok-old\n".utf8)).path)
        #expect(fromInput.status != 0)
        #expect(fromInput.stderr == "arttui: error: server \(url) refused the token read from standard input: \(Self.expiry)\n",
                "\(fromInput)")

        let file = try sandbox.write("token.txt", Data("tok-old".utf8)).path
        let fromFile = try await sandbox.fails(["login", url, "--token-file", file], locations: false)
        #expect(fromFile.stderr == "arttui: error: server \(url) refused the token in \(file): \(Self.expiry)\n", "\(fromFile)")

        let fromEnvironment = try await sandbox.fails(
            ["whoami", "--remote", url], locations: false, environment: ["ARTTUI_TOKEN": "tok-old"])
        #expect(fromEnvironment.stderr == "arttui: error: $ARTTUI_TOKEN was refused by \(url): \(Self.expiry); "
            + "set a new one (or unset it to use the token of arttui login)\n", "\(fromEnvironment)")

        let login = try await sandbox.run(
            ["login", url], locations: false, stdin: sandbox.write("stdin-ok", Data("tok-alice\n".utf8)).path)
        #expect(login.status == 0, "\(login)")
        revocation.revoke()
        let stored = try await sandbox.fails(["whoami", "--remote", url], locations: false)
        #expect(stored.stderr == "arttui: error: server \(url) refused the stored token: the token was revoked; "
            + "run arttui login \(url)\n", "\(stored)")
    }
}
