import Foundation
import ProcessTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `arttui-server serve` refuses to serve plain HTTP beyond loopback, and bad flags, before it
/// touches any service.
@Suite(.childProcesses) struct ServeCommandTests {
    @Test func plainHTTPBeyondLoopbackNeedsInsecureHTTP() async throws {
        let open = try await AdminCommandTests.run(["serve", "--listen", "0.0.0.0:18449"], databaseURL: "postgres://nobody@127.0.0.1:1/x")
        #expect(open.status == 1)
        #expect(open.stderr == "arttui-server: error: without --tls-cert and --tls-key the server listens only on loopback; give --insecure-http to serve plain HTTP on 0.0.0.0\n")
        let half = try await AdminCommandTests.run(
            ["serve", "--listen", "127.0.0.1:18449", "--tls-cert", "/nonexistent.pem"], databaseURL: "postgres://nobody@127.0.0.1:1/x")
        #expect(half.status == 1)
        #expect(half.stderr.contains("--tls-cert and --tls-key go together"))
        // A TLS file that is missing or not PEM is named, with the cause, in one line.
        let notPEM = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-not-pem-\(UUID().uuidString).txt")
        try Data("not a certificate\n".utf8).write(to: notPEM)
        defer { try? FileManager.default.removeItem(at: notPEM) }
        for (arguments, expected) in [
            (["--tls-cert", "/nonexistent.pem", "--tls-key", notPEM.path], "--tls-cert /nonexistent.pem does not exist"),
            (["--tls-cert", notPEM.path, "--tls-key", notPEM.path], "--tls-cert \(notPEM.path) is not a PEM certificate"),
        ] {
            let tls = try await AdminCommandTests.run(
                ["serve", "--listen", "127.0.0.1:18449"] + arguments, databaseURL: "postgres://nobody@127.0.0.1:1/x")
            #expect(tls.status == 1)
            #expect(tls.stderr == "arttui-server: error: \(expected)\n", "\(tls.stderr)")
        }
        let listen = try await AdminCommandTests.run(["serve", "--listen", "nowhere"], databaseURL: "postgres://nobody@127.0.0.1:1/x")
        #expect(listen.status == 1)
        #expect(listen.stderr.contains("--listen nowhere must be HOST:PORT"))
    }

    /// A bucket or key file setting that is missing is named at once, even while the database hangs:
    /// it was read only after the database answered, so a hung database hid it behind its own fault.
    @Test func aMissingBucketOrKeySettingIsNamedBeforeTheDatabaseIsAsked() async throws {
        let hung = try LoopbackSocket.bound(listening: 16)  // accepts connections, never answers
        defer { close(hung.descriptor) }
        let database = "postgres://nobody:pw@127.0.0.1:\(hung.port)/x"
        let cases: [(settings: [String: String?], expected: String)] = [
            (["ARTTUI_S3_BUCKET": nil], "$ARTTUI_S3_BUCKET is not set (or give --s3-bucket, or --store DIR)"),
            (["ARTTUI_S3_BUCKET": "arttui", "ARTTUI_MASTER_KEY_FILE": "/nonexistent-arttui.key"],
             "master key file /nonexistent-arttui.key does not exist (create it with `arttui-server admin key generate FILE`)"),
        ]
        for (settings, expected) in cases {
            let started = Date()
            let serve = try await AdminCommandTests.run(
                ["serve", "--listen", "127.0.0.1:\(try LoopbackSocket.freePort())"], databaseURL: database, settings: settings)
            #expect(serve.status == 1)
            #expect(serve.stderr == "arttui-server: error: \(expected)\n", "\(serve.stderr)")
            // The database waits 30 s in these runs: an answer in under 10 s never waited for it.
            #expect(Date().timeIntervalSince(started) < 10)
        }
    }

    /// A `--listen` address another process holds ends the start in one line naming the address and
    /// the cause: it read `bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)`, after a
    /// warning that the upload expiry had failed with a CancellationError.
    @Test(.enabled(if: ServerFixture.enabled)) func anAddressInUseIsNamedInOneLine() async throws {
        let taken = try LoopbackSocket.bound(listening: 16)
        defer { close(taken.descriptor) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await ServerFixture.withDatabase { url, _ in
            let serve = try await AdminCommandTests.run(
                ["serve", "--listen", "127.0.0.1:\(taken.port)", "--store", directory.path], databaseURL: url)
            #expect(serve.status == 1)
            #expect(serve.stderr == "arttui-server: error: cannot listen on 127.0.0.1:\(taken.port): address already in use\n",
                    "\(serve.stderr)")
        }
    }
}
