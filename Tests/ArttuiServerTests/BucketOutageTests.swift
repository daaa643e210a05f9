import ArtifactStore
import ArtifactWire
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import ProcessTestSupport
import Testing

/// The bucket or the database going away while `arttui-server` runs (SIGSTOP: a service that keeps its
/// connections and answers nothing): requests are answered 503 with a `detail` naming the service
/// within 5 s, `/readyz` says which is unreachable, commands fail with one line, nothing half-done is
/// visible, and once the service is back the same server (not restarted) serves again and a re-run put
/// sends only what is missing.
///
/// The server runs with the limits users get (no `ARTTUI_*_TIMEOUT`), on a PostgreSQL and a SeaweedFS of
/// its own (`PrivateServices`): stopping the ones every suite shares would fail the suites beside it.
@Suite(.enabled(if: PrivateServices.enabled), .serialized, .childProcesses) struct OutageTests {
    /// The most a request may take to be answered while a service is gone, as issue 10 promises.
    static let answerLimit = 5.0

    typealias Client = TwoServersTests.Client
    typealias Scratch = TransferCommandTests.Scratch

    /// One answer: its status, its problem's `detail` (or body) and how long it took.
    struct Answer: CustomStringConvertible {
        var status: Int
        var detail: String
        var seconds: Double
        var description: String { "\(status) after \(String(format: "%.2f", seconds)) s: \(detail)" }
    }

    /// Sends a request and times it.
    static func timed(_ client: Client, _ method: String, _ path: String, json: (any Encodable & Sendable)? = nil,
                      bytes: [UInt8]? = nil) async throws -> Answer {
        let start = ContinuousClock.now
        let (status, body) = try await client.send(method, path, json: json, bytes: bytes)
        let seconds = Double((ContinuousClock.now - start) / .milliseconds(1)) / 1000
        let detail = (try? JSONDecoder().decode(Problem.self, from: body).detail) ?? String(decoding: body, as: UTF8.self)
        return Answer(status: status, detail: detail, seconds: seconds)
    }

    /// Expects `answer` to be 503 within the limit, its detail naming `service`.
    static func expectUnavailable(_ answer: Answer, naming service: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == 503, "\(answer)", sourceLocation: sourceLocation)
        #expect(answer.detail.contains(service), "\(answer)", sourceLocation: sourceLocation)
        #expect(answer.seconds < answerLimit, "\(answer)", sourceLocation: sourceLocation)
    }

    /// Expects a failed command's error to be one line naming `service`.
    static func expectOneLine(_ stderr: String, naming service: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!text.isEmpty && !text.contains("\n"), "\(stderr)", sourceLocation: sourceLocation)
        #expect(text.contains(service), "\(stderr)", sourceLocation: sourceLocation)
    }

    /// Seconds since `start`.
    static func since(_ start: ContinuousClock.Instant) -> Double {
        Double((ContinuousClock.now - start) / .milliseconds(1)) / 1000
    }

    /// Waits until `/readyz` answers 200 (at most 60 s); returns the seconds it took.
    static func untilReady(_ client: Client) async throws -> Double {
        let start = ContinuousClock.now
        while since(start) < 60 {
            if let (status, _) = try? await client.send("GET", "/readyz"), status == 200 { return since(start) }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TwoServersTests.StackFailure("the server is not ready 60 s after the service came back")
    }

    /// Waits until the server's count of staged chunks has not moved for a second; returns it.
    static func settledUploadCount(_ scratch: Scratch) async throws -> Int64 {
        var count = try await scratch.metric("arttui_upload_chunks_total")
        var stillFor = 0
        for _ in 0..<300 where stillFor < 10 {
            try await Task.sleep(for: .milliseconds(100))
            let now = try await scratch.metric("arttui_upload_chunks_total")
            stillFor = now == count ? stillFor + 1 : 0
            count = now
        }
        return count
    }

    /// One server on services of its own, with the project `root/shared`; `body` gets the services, a
    /// client as `root` and a scratch whose commands keep their default timeout.
    static func withStack(_ body: @Sendable (PrivateServices, Client, Scratch) async throws -> Void) async throws {
        try await PrivateServices.with { services in
            let directory = services.directory.appendingPathComponent("server")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var (environment, token) = try await TwoServersTests.prepareStack(
                databaseURL: services.databaseURL, s3Endpoint: services.s3Endpoint, directory: directory)
            // The limits users get: the answers while a service is gone are what is tested.
            environment["ARTTUI_DATABASE_TIMEOUT"] = nil
            environment["ARTTUI_S3_TIMEOUT"] = nil
            let server = try TwoServersTests.ServerProcess(environment: environment, directory: directory)
            do {
                try await server.waitUntilReady()
                let client = Client(base: server.url, token: token)
                let (status, _) = try await client.send(
                    "POST", "/api/v1/projects", json: ["entity": "root", "name": "shared", "visibility": "private"])
                guard status == 201 else { throw TwoServersTests.StackFailure("project not created: \(status)") }
                try await body(services, client, try Scratch(server: server.url, client: client, commandTimeout: nil))
                #expect(server.process.isRunning, "the server ran through the outage")
            } catch {
                services.thawAll()
                await server.stop()
                throw error
            }
            await server.stop()
        }
    }

    /// The first file content of `artifact`'s version v0 (its digest, to read it back).
    static func firstContent(_ client: Client, _ artifact: String) async throws -> String {
        let (_, body) = try await client.send("GET", "/api/v1/projects/root/shared/artifacts/\(artifact)/versions/v0/manifest")
        return try #require(try JSONDecoder().decode(WireManifest.self, from: body).contents.first?.digest)
    }

    /// Server-side verify, reading every byte: clean.
    static func expectVerifyClean(_ client: Client) async throws {
        let (status, body) = try await client.send("GET", "/api/v1/verify?read_data=true")
        #expect(status == 200)
        let report = try JSONDecoder().decode(VerificationReport.self, from: body)
        #expect(report.isClean, "\(String(decoding: body, as: UTF8.self).prefix(2000))")
    }

    @Test func theBucketStoppedDuringAPutAndAGetIsAnswered503AndTheRerunSendsOnlyWhatIsMissing() async throws {
        try await Self.withStack { services, client, scratch in
            let remote = scratch.server.absoluteString
            try scratch.tree("small", ["a.bin": TransferCommandTests.random(3 << 20)])
            try await scratch.ok(["put", "small", "-n", "root/shared/small", "--remote", remote])
            let content = try await Self.firstContent(client, "small")
            try scratch.tree("data", ["big.bin": TransferCommandTests.random(64 << 20)])
            let before = try await scratch.metric("arttui_upload_chunks_total")
            let put = try scratch.start(["put", "data", "-n", "root/shared/big", "--remote", remote])
            for _ in 0..<1_200 {
                if try await scratch.metric("arttui_upload_chunks_total") > before || !put.process.isRunning { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            try #require(put.process.isRunning, "the put ended before the bucket was stopped")

            services.freeze(try services.seaweedProcesses())
            let stopped = ContinuousClock.now
            async let readiness = Self.timed(client, "GET", "/readyz")
            async let read = Self.timed(
                client, "GET", "/api/v1/projects/root/shared/artifacts/small/versions/v0/contents/\(content)")
            let failedPut = await put.finish(timeout: 120)
            let putSeconds = Self.since(stopped)
            let readyAnswer = try await readiness
            let readAnswer = try await read
            Self.expectUnavailable(readyAnswer, naming: "object store")
            Self.expectUnavailable(readAnswer, naming: "object store")
            #expect(!failedPut.timedOut && !failedPut.termination.succeeded, "\(failedPut.stdout)")
            Self.expectOneLine(failedPut.stderr, naming: "object store")
            #expect(putSeconds < 10, "the put failed \(putSeconds) s after the bucket stopped")

            // A new pack, and a get through the command line.
            let (_, created) = try await client.send("POST", "/api/v1/projects/root/shared/uploads")
            let upload = try JSONDecoder().decode(UploadCreated.self, from: created).upload
            let prepared = PreparedUpload(files: ["x.bin": TransferCommandTests.random(1 << 20)])
            let pack = try await Self.timed(
                client, "PUT", "/api/v1/projects/root/shared/uploads/\(upload)/packs", bytes: prepared.pack(prepared.chunkOrder))
            Self.expectUnavailable(pack, naming: "object store")
            let getStart = ContinuousClock.now
            let (getStatus, _, getErrors) = try await scratch.run(["get", "root/shared/small", "--root", "out", "--remote", remote])
            let getSeconds = Self.since(getStart)
            #expect(getStatus != 0)
            Self.expectOneLine(getErrors, naming: "object store")
            #expect(getSeconds < 10, "the get failed after \(getSeconds) s")
            let (listed, _) = try await client.send("GET", "/api/v1/projects/root/shared/artifacts/big/versions")
            #expect(listed == 404, "nothing of the interrupted put is visible")
            print("bucket stopped: /readyz \(readyAnswer), read \(readAnswer), pack \(pack); put failed after "
                + "\(String(format: "%.2f", putSeconds)) s, get after \(String(format: "%.2f", getSeconds)) s: "
                + failedPut.stderr.trimmingCharacters(in: .whitespacesAndNewlines))

            services.thawAll()
            let back = try await Self.untilReady(client)
            let staged = try await Self.settledUploadCount(scratch) - before
            try await scratch.ok(["put", "data", "-n", "root/shared/big", "--remote", remote])
            let resent = try await scratch.metric("arttui_upload_chunks_total") - before - staged
            let (_, manifest) = try await client.send("GET", "/api/v1/projects/root/shared/artifacts/big/versions/v0/manifest")
            let total = Int64(Set(try JSONDecoder().decode(WireManifest.self, from: manifest).contents.flatMap(\.chunks)).count)
            print("bucket back: ready after \(String(format: "%.2f", back)) s; \(staged) chunks staged before the stop, "
                + "\(resent) sent by the re-run, \(total) in all")
            #expect(staged + resent == total, "the re-run sends exactly the chunks not staged before")
            #expect(resent < total)
            let (_, versions) = try await client.send("GET", "/api/v1/projects/root/shared/artifacts/big/versions")
            #expect(try JSONDecoder().decode(WireVersionPage.self, from: versions).total == 1)
            try await scratch.ok(["get", "root/shared/small", "--root", "out", "--remote", remote])
            try await Self.expectVerifyClean(client)
        }
    }

    @Test func theDatabaseStoppedIsAnswered503AndTheSameServerServesOnceItIsBack() async throws {
        try await Self.withStack { services, client, scratch in
            let remote = scratch.server.absoluteString
            try scratch.tree("first", ["a.bin": TransferCommandTests.random(2 << 20)])
            try await scratch.ok(["put", "first", "-n", "root/shared/data", "--remote", remote])
            try scratch.tree("second", ["b.bin": TransferCommandTests.random(2 << 20)])

            services.freeze(try services.postgresProcesses())
            // Past the server's cache of tokens and projects (1 s), so every request asks the database.
            try await Task.sleep(for: .milliseconds(1_100))
            async let readiness = Self.timed(client, "GET", "/readyz")
            async let listing = Self.timed(client, "GET", "/api/v1/projects/root/shared/artifacts/data/versions")
            let putStart = ContinuousClock.now
            let (putStatus, _, putErrors) = try await scratch.run(["put", "second", "-n", "root/shared/data", "--remote", remote])
            let putSeconds = Self.since(putStart)
            let readyAnswer = try await readiness
            let listAnswer = try await listing
            Self.expectUnavailable(readyAnswer, naming: "database")
            Self.expectUnavailable(listAnswer, naming: "database")
            #expect(putStatus != 0)
            Self.expectOneLine(putErrors, naming: "database")
            #expect(putSeconds < 10, "the put failed after \(putSeconds) s")
            let getStart = ContinuousClock.now
            let (getStatus, _, getErrors) = try await scratch.run(["get", "root/shared/data", "--root", "out", "--remote", remote])
            let getSeconds = Self.since(getStart)
            #expect(getStatus != 0)
            Self.expectOneLine(getErrors, naming: "database")
            #expect(getSeconds < 10, "the get failed after \(getSeconds) s")
            print("database stopped: /readyz \(readyAnswer), listing \(listAnswer); put failed after "
                + "\(String(format: "%.2f", putSeconds)) s, get after \(String(format: "%.2f", getSeconds)) s: "
                + putErrors.trimmingCharacters(in: .whitespacesAndNewlines))

            services.thawAll()
            let back = try await Self.untilReady(client)
            print("database back: ready after \(String(format: "%.2f", back)) s")
            let (_, before) = try await client.send("GET", "/api/v1/projects/root/shared/artifacts/data/versions")
            #expect(try JSONDecoder().decode(WireVersionPage.self, from: before).total == 1, "the failed put left no version")
            try await scratch.ok(["put", "second", "-n", "root/shared/data", "--remote", remote])
            try await scratch.ok(["get", "root/shared/data", "--root", "out", "--remote", remote])
            #expect(try scratch.contents("out").keys.sorted() == ["b.bin"])
            let (_, after) = try await client.send("GET", "/api/v1/projects/root/shared/artifacts/data/versions")
            #expect(try JSONDecoder().decode(WireVersionPage.self, from: after).total == 2)
            try await Self.expectVerifyClean(client)
        }
    }
}
