import Foundation
import ProcessTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// TLS is verified by default; --ca-cert / $ARTTUI_CA_CERT trust a private CA; --insecure trusts
/// anything and says so. The server is `openssl s_server` with a self-signed certificate; skipped
/// with a printed reason when openssl is missing.
@Suite("server TLS", .childProcesses)
struct ServerTLSTests {
    private static let openssl = SystemProgram.path("openssl")

    @Test("a self-signed server is refused, trusted with --ca-cert or $ARTTUI_CA_CERT, and --insecure warns")
    func privateCA() async throws {
        let sandbox = try Sandbox()
        guard let openssl = Self.openssl, let made = try await SelfSignedCertificate.make(in: sandbox.root) else {
            print("skipped: openssl not found")
            return
        }
        let port = try LoopbackSocket.freePort()
        // -www answers every GET with an HTML status page: TLS succeeds, the API answer does not parse.
        let server = try ChildProcess.spawn(
            openssl, ["s_server", "-accept", "\(port)", "-cert", made.certificate, "-key", made.key,
                                         "-www", "-quiet"], directory: sandbox.root.path)
        defer { server.terminateInBackground(grace: 10) }
        let url = "https://127.0.0.1:\(port)"
        let certificate = made.certificate
        var untrusted = try await sandbox.run(["whoami", "--remote", url], locations: false)
        for _ in 0..<50 where untrusted.stderr.contains("cannot reach") {
            try await Task.sleep(for: .milliseconds(100))  // s_server may still be starting
            untrusted = try await sandbox.run(["whoami", "--remote", url], locations: false)
        }
        #expect(untrusted.status != 0)
        #expect(untrusted.stderr.contains("TLS connection to \(url) failed"), "\(untrusted)")

        let answerNotAPI = "answered GET /api/v1/whoami with something that is not arttui's API"
        let trusted = try await sandbox.run(["whoami", "--remote", url, "--ca-cert", certificate], locations: false)
        #expect(trusted.stderr.contains(answerNotAPI), "\(trusted)")
        let trustedByEnvironment = try await sandbox.run(["whoami", "--remote", url], locations: false,
                                                         environment: ["ARTTUI_CA_CERT": certificate])
        #expect(trustedByEnvironment.stderr.contains(answerNotAPI), "\(trustedByEnvironment)")

        let insecure = try await sandbox.run(["--insecure", "whoami", "--remote", url], locations: false)
        #expect(insecure.stderr.contains("warning: --insecure: the TLS certificate of \(url) is not verified"), "\(insecure)")
        #expect(insecure.stderr.contains(answerNotAPI), "\(insecure)")

        let missing = try await sandbox.fails(["whoami", "--remote", url, "--ca-cert", sandbox.path("nope.pem").path],
                                              locations: false)
        #expect(missing.stderr.contains("CA certificate file"), "\(missing)")
    }
}
