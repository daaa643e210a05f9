import ArtifactStore
import ArtifactWire
@testable import ArttuiServer
import Foundation
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ProcessTestSupport
import S3Client
import Testing

/// Two `arttui-server` processes on one database and one bucket, driven over real HTTP: concurrent puts
/// to one artifact get consecutive numbers, and a server killed with SIGKILL mid-upload leaves nothing
/// half-done visible.
///
/// Each test runs two debug servers and eight clients on the machine's cores: run this suite on its own
/// (`swift test --filter TwoServersTests`) rather than beside every other suite on a 2-core machine.
@Suite(.enabled(if: TwoServersEnvironment.enabled), .serialized, .childProcesses) struct TwoServersTests {
    /// A running `arttui-server serve`.
    final class ServerProcess: Sendable {
        let process: ChildProcess
        let url: URL
        let log: URL

        init(environment: [String: String], directory: URL) throws {
            let port = try LoopbackSocket.freePort()
            url = URL(string: "http://127.0.0.1:\(port)")!
            log = directory.appendingPathComponent("server-\(port).log")
            process = try ChildProcess.spawn(
                AdminCommandTests.binary.path, ["serve", "--listen", "127.0.0.1:\(port)"], environment: environment,
                stdout: log.path, stderr: log.path)
        }

        func waitUntilReady() async throws {
            for _ in 0..<600 {
                guard process.isRunning else {
                    throw StackFailure("arttui-server exited: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
                }
                if let (_, response) = try? await URLSession.shared.data(from: url.appendingPathComponent("readyz")),
                   (response as? HTTPURLResponse)?.statusCode == 200
                { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw StackFailure("arttui-server at \(url) is not ready after 60 s")
        }

        func kill() async {
            await process.kill()
        }

        /// Stops it with SIGTERM (SIGKILL should it still run 30 s later) and waits until it has ended.
        func stop() async {
            await process.terminate(grace: 30)
        }
    }

    struct StackFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Requests to one server as one token (none when it is empty), over URLSession.
    struct Client: Sendable {
        var base: URL
        var token: String

        func send(_ method: String, _ path: String, json: (any Encodable & Sendable)? = nil, bytes: [UInt8]? = nil)
            async throws -> (Int, Data)
        {
            var request = URLRequest(url: URL(string: base.absoluteString + path)!)
            request.httpMethod = method
            if !token.isEmpty { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            request.timeoutInterval = 120
            // Every answer from the server, never URLSession's cache: a token-less GET /readyz that
            // answered 200 once was answered from it while the bucket was stopped.
            request.cachePolicy = .reloadIgnoringLocalCacheData
            if let json {
                request.httpBody = try JSONEncoder().encode(json)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            } else if let bytes {
                request.httpBody = Data(bytes)
                request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        }

        func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
            try JSONDecoder().decode(T.self, from: data)
        }

        /// Starts an upload and sends the chunks the store lacks, in packs of `perPack`; returns the upload id
        /// and how many chunks were sent.
        func stage(_ project: String, _ prepared: PreparedUpload, upload existing: String? = nil, perPack: Int = 64)
            async throws -> (upload: String, sent: Int)
        {
            let upload: String
            if let existing {
                upload = existing
            } else {
                let (status, body) = try await send("POST", "/api/v1/projects/\(project)/uploads")
                guard status == 201 else { throw StackFailure("upload refused: \(status) \(String(decoding: body, as: UTF8.self))") }
                upload = try decode(UploadCreated.self, body).upload
            }
            let (status, body) = try await send(
                "POST", "/api/v1/projects/\(project)/chunks/missing",
                json: MissingChunksRequest(digests: prepared.chunkOrder, upload: existing))
            guard status == 200 else { throw StackFailure("missing chunks refused: \(status)") }
            let missing = try decode(MissingChunksResponse.self, body).missing
            var sent = 0
            for start in stride(from: 0, to: missing.count, by: perPack) {
                let batch = Array(missing[start..<min(start + perPack, missing.count)])
                let (status, body) = try await send(
                    "PUT", "/api/v1/projects/\(project)/uploads/\(upload)/packs", bytes: prepared.pack(batch))
                guard status == 201 else { throw StackFailure("pack refused: \(status) \(String(decoding: body, as: UTF8.self))") }
                sent += batch.count
            }
            return (upload, sent)
        }

        /// A whole put: stage, commit, and on 409 send what the commit names and commit again.
        func put(_ project: String, _ artifact: String, _ prepared: PreparedUpload) async throws -> WireVersion {
            let (upload, _) = try await stage(project, prepared)
            let commit = prepared.commit(artifact: artifact, type: "dataset")
            for _ in 0..<3 {
                let (status, body) = try await send("POST", "/api/v1/projects/\(project)/uploads/\(upload)/commit", json: commit)
                if status == 201 || status == 200 { return try decode(CommitResponse.self, body).version }
                guard status == 409, let missing = try decode(Problem.self, body).missing else {
                    throw StackFailure("commit refused: \(status) \(String(decoding: body, as: UTF8.self))")
                }
                _ = try await send("PUT", "/api/v1/projects/\(project)/uploads/\(upload)/packs", bytes: prepared.pack(missing))
            }
            throw StackFailure("commit kept missing chunks")
        }
    }

    /// Team `team`, which the stack's first user `root` administers and user `vic` only views; returns
    /// vic's token.
    static func teamWithViewer(environment: [String: String]) async throws -> String {
        _ = try await admin(["admin", "team", "add", "team"], environment: environment)
        _ = try await admin(["admin", "team", "member", "team", "root", "--role", "admin"], environment: environment)
        let viewerToken = try await admin(["admin", "user", "add", "vic"], environment: environment)
        _ = try await admin(["admin", "team", "member", "team", "vic", "--role", "viewer"], environment: environment)
        return viewerToken
    }

    /// Runs `arttui-server ARGUMENTS` (`admin …`, `migrate`) against a stack's `environment` and returns
    /// its standard output, trimmed; a failing command fails the test's set-up.
    static func admin(_ arguments: [String], environment: [String: String]) async throws -> String {
        let admin = try await CapturedProcess.run(
            AdminCommandTests.binary.path, arguments, environment: environment, timeout: 120)
        guard admin.termination.succeeded else {
            throw StackFailure("arttui-server \(arguments.joined(separator: " ")) failed: \(admin.stderr)")
        }
        return admin.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The environment `arttui-server` runs with on the database `databaseURL` and a fresh bucket at
    /// `s3Endpoint`, its master key under `directory`: the key generated, the database migrated and the
    /// site admin `root` added, whose token comes back with it.
    static func prepareStack(databaseURL: String, s3Endpoint: String, directory: URL) async throws
        -> (environment: [String: String], token: String)
    {
        var environment = ProcessInfo.processInfo.environment
        environment["ARTTUI_TEST_S3_ENDPOINT"] = s3Endpoint
        let bucket = "arttui-two-\(UUID().uuidString.prefix(8).lowercased())"
        let s3 = try S3Configuration.fromEnvironment(environment, endpointVariable: "ARTTUI_TEST_S3_ENDPOINT")
        try await S3Client(configuration: s3).createBucket(bucket)
        environment["ARTTUI_DATABASE_URL"] = databaseURL
        environment["ARTTUI_S3_ENDPOINT"] = s3Endpoint
        environment["ARTTUI_S3_BUCKET"] = bucket
        environment["ARTTUI_MASTER_KEY_FILE"] = directory.appendingPathComponent("master.key").path
        environment["ARTTUI_LOG_LEVEL"] = "warning"
        // Many suites start servers at once on two cores: a slow answer is load, not an outage (of the
        // database or of the bucket).
        environment["ARTTUI_DATABASE_TIMEOUT"] = "30"
        environment["ARTTUI_S3_TIMEOUT"] = "30"
        _ = try await admin(["admin", "key", "generate", environment["ARTTUI_MASTER_KEY_FILE"]!], environment: environment)
        _ = try await admin(["migrate"], environment: environment)
        let token = try await admin(["admin", "user", "add", "root", "--admin"], environment: environment)
        return (environment, token)
    }

    /// A fresh database, bucket and key; two servers on them; a site admin's token and a project.
    static func withTwoServers(_ body: @Sendable ([ServerProcess], [Client], [String: String]) async throws -> Void)
        async throws
    {
        try await withServers(2, body)
    }

    /// A fresh database, bucket and key; `count` servers on them; a site admin's (`root`) token and the
    /// project `root/shared`. `body` gets the servers' environment, for `arttui-server admin …`.
    static func withServers(
        _ count: Int, _ body: @Sendable ([ServerProcess], [Client], [String: String]) async throws -> Void
    ) async throws {
        try await ServerFixture.withDatabase { databaseURL, _ in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-two-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try await withServers(
                count, databaseURL: databaseURL, s3Endpoint: ProcessInfo.processInfo.environment["ARTTUI_TEST_S3_ENDPOINT"]!,
                directory: directory, body)
        }
    }

    /// `count` servers on the database and bucket given, with a site admin's (`root`) token and the project
    /// `root/shared`; `adjust` changes their environment first. The servers stop when `body` returns or
    /// throws (after `onFailure`, which may have to wake a service the body stopped).
    static func withServers(
        _ count: Int, databaseURL: String, s3Endpoint: String, directory: URL,
        adjusting adjust: (inout [String: String]) -> Void = { _ in }, onFailure: () -> Void = {},
        _ body: @Sendable ([ServerProcess], [Client], [String: String]) async throws -> Void
    ) async throws {
        var (environment, token) = try await prepareStack(databaseURL: databaseURL, s3Endpoint: s3Endpoint, directory: directory)
        adjust(&environment)
        var servers: [ServerProcess] = []
        do {
            for _ in 0..<count { servers.append(try ServerProcess(environment: environment, directory: directory)) }
            for server in servers { try await server.waitUntilReady() }
            let clients = servers.map { Client(base: $0.url, token: token) }
            let (status, _) = try await clients[0].send(
                "POST", "/api/v1/projects", json: ["entity": "root", "name": "shared", "visibility": "private"])
            guard status == 201 else { throw StackFailure("project not created: \(status)") }
            try await body(servers, clients, environment)
        } catch {
            onFailure()
            for server in servers { await server.stop() }
            throw error
        }
        for server in servers { await server.stop() }
    }

    @Test func eightClientsPuttingThroughTwoServersGetVersionsZeroTo199() async throws {
        try await Self.withTwoServers { _, clients, _ in
            let shared = UploadProtocolTests.noise(40_000, seed: 9)
            try await withThrowingTaskGroup(of: [Int].self) { group in
                for clientIndex in 0..<8 {
                    group.addTask {
                        var indexes: [Int] = []
                        for put in 0..<25 {
                            let prepared = PreparedUpload(files: [
                                "shared.bin": shared, "own.txt": Data("client \(clientIndex) put \(put)\n".utf8),
                            ])
                            let version = try await clients[(clientIndex + put) % 2].put("root/shared", "data", prepared)
                            indexes.append(try #require(version.index))
                        }
                        return indexes
                    }
                }
                var all: [Int] = []
                for try await indexes in group { all += indexes }
                #expect(all.sorted() == Array(0..<200), "every number once")
            }
            let (status, body) = try await clients[1].send("GET", "/api/v1/projects/root/shared/artifacts/data/versions?limit=1000")
            #expect(status == 200)
            let page = try JSONDecoder().decode(WireVersionPage.self, from: body)
            #expect(page.total == 200)
            #expect(page.versions.compactMap(\.index).sorted() == Array(0..<200))
            let (verifyStatus, verify) = try await clients[0].send("GET", "/api/v1/verify")
            #expect(verifyStatus == 200)
            #expect(String(decoding: verify, as: UTF8.self).contains("\"clean\":true"))
        }
    }

    @Test func aServerKilledMidUploadLeavesNothingPartialAndTheRerunSendsOnlyWhatIsMissing() async throws {
        try await Self.withTwoServers { servers, clients, _ in
            #expect(try await clients[1].put("root/shared", "data", PreparedUpload(files: ["first.txt": Data("v0".utf8)])).index == 0)
            // Four uploads through server 0, each several packs; server 0 dies after the first packs arrive.
            let uploads = (0..<4).map { PreparedUpload(files: ["big.bin": UploadProtocolTests.noise(3 << 20, seed: UInt64(20 + $0))]) }
            let (startedStream, started) = AsyncStream<Void>.makeStream()
            let staged = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for (index, prepared) in uploads.enumerated() {
                    group.addTask {
                        // The upload id is known before any pack travels, so the re-run can resume it.
                        let (status, body) = try await clients[0].send("POST", "/api/v1/projects/root/shared/uploads")
                        guard status == 201 else { return (index, nil) }
                        let upload = try JSONDecoder().decode(UploadCreated.self, from: body).upload
                        let first = try await clients[0].send(
                            "PUT", "/api/v1/projects/root/shared/uploads/\(upload)/packs",
                            bytes: prepared.pack(Array(prepared.chunkOrder.prefix(1))))
                        #expect(first.0 == 201)
                        started.yield()
                        _ = try? await clients[0].stage("root/shared", prepared, upload: upload, perPack: 1)
                        return (index, upload)
                    }
                }
                // Every upload has a pack staged and is sending more when the server dies.
                var ready = 0
                for await _ in startedStream {
                    ready += 1
                    if ready == uploads.count { break }
                }
                try await Task.sleep(for: .milliseconds(50))
                await servers[0].kill()
                var ids: [Int: String] = [:]
                for try await (index, upload) in group { ids[index] = upload }
                return ids
            }
            #expect(!servers[0].process.isRunning)
            // Nothing of the interrupted puts is visible.
            let (status, body) = try await clients[1].send("GET", "/api/v1/projects/root/shared/artifacts/data/versions")
            #expect(status == 200)
            #expect(try JSONDecoder().decode(WireVersionPage.self, from: body).total == 1)

            // The re-run through server 1 resumes each upload and sends only what was not staged.
            var sentOverall = 0
            var totalOverall = 0
            for (index, prepared) in uploads.enumerated() {
                let upload = try #require(staged[index])
                let (_, sent) = try await clients[1].stage("root/shared", prepared, upload: upload, perPack: 8)
                #expect(sent <= prepared.chunkOrder.count)
                sentOverall += sent
                totalOverall += prepared.chunkOrder.count
                let commit = prepared.commit(artifact: "data", type: "dataset")
                let (status, body) = try await clients[1].send("POST", "/api/v1/projects/root/shared/uploads/\(upload)/commit", json: commit)
                #expect(status == 201, "\(String(decoding: body, as: UTF8.self))")
            }
            print("after kill -9: the re-run sent \(sentOverall) of \(totalOverall) chunks")
            #expect(sentOverall < totalOverall, "chunks staged before the kill are not sent again")
            let (_, after) = try await clients[1].send("GET", "/api/v1/projects/root/shared/artifacts/data/versions")
            #expect(try JSONDecoder().decode(WireVersionPage.self, from: after).versions.compactMap(\.index).sorted() == [0, 1, 2, 3, 4])
            let (verifyStatus, verify) = try await clients[1].send("GET", "/api/v1/verify?read_data=true")
            #expect(verifyStatus == 200)
            #expect(String(decoding: verify, as: UTF8.self).contains("\"clean\":true"), "\(String(decoding: verify, as: UTF8.self).prefix(2000))")
        }
    }
}

/// Whether the services the two-server tests need are configured.
enum TwoServersEnvironment {
    static var enabled: Bool {
        let environment = ProcessInfo.processInfo.environment
        for name in ["ARTTUI_TEST_DATABASE_URL", "ARTTUI_TEST_S3_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
        where environment[name] == nil {
            print("\(name) is not set: skipping the two-server tests")
            return false
        }
        return true
    }
}
