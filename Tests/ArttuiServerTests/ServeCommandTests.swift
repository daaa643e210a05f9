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
            let serve = try await AdminCommandTests.run(
                ["serve", "--listen", "127.0.0.1:\(try LoopbackSocket.freePort())"], databaseURL: database, settings: settings)
            #expect(serve.status == 1)
            // Asked first, the hung database would have been the fault named, after its 30 s timeout.
            #expect(serve.stderr == "arttui-server: error: \(expected)\n", "\(serve.stderr)")
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

    /// A --tls-key that is not the key of the --tls-cert is named with both files, before any service is
    /// asked: it ended the start with NIOSSL's bare "failedToLoadPrivateKey".
    @Test func aKeyThatIsNotTheCertificatesIsNamed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-tls-pair-\(UUID().uuidString)")
        let (firstDirectory, secondDirectory) = (directory.appendingPathComponent("first"), directory.appendingPathComponent("second"))
        for made in [firstDirectory, secondDirectory] {
            try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        guard let first = try await SelfSignedCertificate.make(in: firstDirectory),
              let second = try await SelfSignedCertificate.make(in: secondDirectory)
        else {
            print("skipped: openssl not found")
            return
        }
        let serve = try await AdminCommandTests.run(
            ["serve", "--listen", "127.0.0.1:18449", "--tls-cert", first.certificate, "--tls-key", second.key],
            databaseURL: "postgres://nobody@127.0.0.1:1/x")
        #expect(serve.status == 1)
        #expect(serve.stderr == "arttui-server: error: --tls-key \(second.key) is not the private key of the certificate in "
            + "--tls-cert \(first.certificate)\n", "\(serve.stderr)")
    }

    /// SIGTERM lets a request in flight finish, and the server then ends at once, over TLS as over
    /// HTTP: over TLS it waited NIOSSL's default 5 s on each connection it closed for a close_notify
    /// that clients such as curl never send.
    @Test(.enabled(if: ServerFixture.enabled)) func sigtermFinishesARequestInFlightOverTLSAndThenEnds() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-sigterm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        guard let curl = SystemProgram.path("curl"), let made = try await SelfSignedCertificate.make(in: directory) else {
            print("skipped: openssl or curl not found")
            return
        }
        let (certificate, key) = (made.certificate, made.key)
        // A project's creation whose body (4,000 bytes of JSON, mostly blanks) curl sends at 1,000 bytes a second.
        let body = directory.appendingPathComponent("body.json")
        try Data((#"{"entity": "terry", "name": "slow""# + String(repeating: " ", count: 3_960) + "}").utf8).write(to: body)

        try await ServerFixture.withDatabase { url, _ in
            let token = try await AdminCommandTests.run(["admin", "user", "add", "terry"], databaseURL: url)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let base = "https://127.0.0.1:\(try LoopbackSocket.freePort())"
            var environment = ProcessInfo.processInfo.environment
            environment["ARTTUI_DATABASE_URL"] = url
            environment["ARTTUI_DATABASE_TIMEOUT"] = "30"
            let server = try CapturedProcess.start(AdminCommandTests.binary.path, [
                "serve", "--listen", String(base.dropFirst("https://".count)), "--tls-cert", certificate, "--tls-key", key,
                "--store", directory.appendingPathComponent("store").path], environment: environment, outputs: directory)
            func curlRun(_ arguments: [String], timeout: TimeInterval) async throws -> CapturedOutput {
                try await CapturedProcess.start(curl, ["-s", "--cacert", certificate, "-o", "/dev/null", "-w", "%{http_code}"] + arguments,
                                                outputs: directory).finish(timeout: timeout)
            }
            var ready = false
            for _ in 0..<300 where server.process.isRunning {
                if try await curlRun(["\(base)/healthz"], timeout: 10).stdout == "200" {
                    ready = true
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            guard ready else {
                let ended = await server.finish(timeout: 10)
                Issue.record("arttui-server did not start: \(ended.stderr)")
                return
            }
            let request = try CapturedProcess.start(curl, [
                "-s", "--cacert", certificate, "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)",
                "-H", "Content-Type: application/json", "-H", "Expect:", "--limit-rate", "1000", "--data-binary", "@\(body.path)",
                "\(base)/api/v1/projects"], outputs: directory)
            // SIGTERM once the server is answering it (the /metrics request counts itself), not after a
            // guess at how long curl takes to connect on a loaded machine.
            var inFlight = false
            for _ in 0..<300 where !inFlight && request.process.isRunning {
                let metrics = try await CapturedProcess.start(curl, ["-s", "--cacert", certificate, "\(base)/metrics"], outputs: directory)
                    .finish(timeout: 10)
                inFlight = metrics.stdout.contains("\narttui_http_requests_in_flight 2\n")
                if !inFlight { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(inFlight, "the slow request was never in flight")
            server.process.send(SIGTERM)
            let answer = await request.finish(timeout: 60)
            let answered = Date()
            #expect(answer.stdout == "201", "the request in flight was not finished: \(answer)")
            let ended = await server.finish(timeout: 60)
            let endedAfter = Date().timeIntervalSince(answered)
            #expect(ended.termination.succeeded, "\(ended.termination): \(ended.stderr)")
            // Each closed connection waited 5 s before; now 0.5 s. The margin is for a loaded machine.
            #expect(endedAfter < 4, "arttui-server ended \(endedAfter) s after its last answer")
        }
    }
}
