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

/// A running `arttui-server` on services of its own (`PrivateServices`), for the tests that stop them,
/// and the checks they share: answers timed, 503s naming the service, one-line command errors.
///
/// The server runs with the limits users get (no `ARTTUI_*_TIMEOUT`): its answers while a service is
/// gone are what those tests measure.
enum OutageStack {
    typealias Client = TwoServersTests.Client
    typealias Scratch = TransferCommandTests.Scratch

    /// The most a request may take to be answered while a service is gone, as issue 10 promises.
    static let answerLimit = 5.0

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
        let seconds = since(start)
        let detail = (try? JSONDecoder().decode(Problem.self, from: body).detail) ?? String(decoding: body, as: UTF8.self)
        return Answer(status: status, detail: detail, seconds: seconds)
    }

    /// `GET /readyz` as a load balancer's probe sends it, without a token, timed.
    static func readiness(_ client: Client) async throws -> Answer {
        try await timed(Client(base: client.base, token: ""), "GET", "/readyz")
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
            if let answer = try? await readiness(client), answer.status == 200 { return since(start) }
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
            try await TwoServersTests.withServers(
                1, databaseURL: services.databaseURL, s3Endpoint: services.s3Endpoint, directory: directory,
                adjusting: { environment in
                    // The limits users get: the answers while a service is gone are what is tested.
                    environment["ARTTUI_DATABASE_TIMEOUT"] = nil
                    environment["ARTTUI_S3_TIMEOUT"] = nil
                },
                onFailure: services.thawAll
            ) { servers, clients, _ in
                try await body(services, clients[0], try Scratch(server: servers[0].url, client: clients[0], commandTimeout: nil))
                #expect(servers[0].process.isRunning, "the server ran through the outage")
            }
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

    /// A put of 64 MiB to `root/shared/big` in `scratch`'s directory `data`, returned once the server has
    /// staged its first pack, with the server's count of staged chunks before it.
    /// `clientTimeout` (seconds) replaces the client's 4.5 s stall limit, for a test of the server's own answer.
    static func putUnderWay(_ scratch: Scratch, clientTimeout: Int? = nil) async throws -> (put: CapturedProcess, countBefore: Int64) {
        try scratch.tree("data", ["big.bin": TransferCommandTests.random(64 << 20)])
        let limit = clientTimeout.map { ["--timeout", String($0)] } ?? []
        return try await sendingUnderWay(scratch, ["put", "data", "-n", "root/shared/big", "--remote", scratch.server.absoluteString] + limit)
    }

    /// Starts `arttui arguments` (a put or push) and returns it once the server has staged its first
    /// pack, with the server's count of staged chunks before it.
    static func sendingUnderWay(_ scratch: Scratch, _ arguments: [String]) async throws -> (put: CapturedProcess, countBefore: Int64) {
        let before = try await scratch.metric("arttui_upload_chunks_total")
        let command = try scratch.start(arguments)
        for _ in 0..<1_200 {
            if try await scratch.metric("arttui_upload_chunks_total") > before || !command.process.isRunning { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(command.process.isRunning, "arttui \(arguments[0]) ended before it could be interrupted")
        return (command, before)
    }

    /// Runs the put `putUnderWay` started again, to success: how many chunks the server had staged
    /// before (since `countBefore`), how many the re-run sent, and how many the version has.
    static func rerunPut(_ scratch: Scratch, _ client: Client, countBefore: Int64) async throws
        -> (staged: Int64, resent: Int64, total: Int64)
    {
        let staged = try await settledUploadCount(scratch) - countBefore
        try await scratch.ok(["put", "data", "-n", "root/shared/big", "--remote", scratch.server.absoluteString])
        let resent = try await scratch.metric("arttui_upload_chunks_total") - countBefore - staged
        let (_, manifest) = try await client.send("GET", "/api/v1/projects/root/shared/artifacts/big/versions/v0/manifest")
        let total = Int64(Set(try JSONDecoder().decode(WireManifest.self, from: manifest).contents.flatMap(\.chunks)).count)
        return (staged, resent, total)
    }

    /// Puts a first version of `root/shared/data` (`size` random bytes) and writes the directory `second`
    /// with other content, for a put while a service is gone.
    static func firstVersionAndSecondTree(_ scratch: Scratch, size: Int) async throws {
        try scratch.tree("first", ["a.bin": TransferCommandTests.random(size)])
        try await scratch.ok(["put", "first", "-n", "root/shared/data", "--remote", scratch.server.absoluteString])
        try scratch.tree("second", ["b.bin": TransferCommandTests.random(size)])
    }

    /// Runs `arttui ARGUMENTS --remote SERVER`, expecting it to fail within 10 s with one line naming
    /// `service`; returns the seconds it took and its error line.
    static func expectFailure(
        _ scratch: Scratch, _ arguments: [String], naming service: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (seconds: Double, error: String) {
        let start = ContinuousClock.now
        let errors = try await scratch.fails(arguments + ["--remote", scratch.server.absoluteString], sourceLocation: sourceLocation)
        let seconds = since(start)
        expectOneLine(errors, naming: service, sourceLocation: sourceLocation)
        #expect(seconds < 10, "arttui \(arguments.joined(separator: " ")) failed after \(seconds) s", sourceLocation: sourceLocation)
        return (seconds, errors.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
