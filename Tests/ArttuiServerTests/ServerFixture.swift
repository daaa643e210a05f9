import ArtifactStore
import ArtifactWire
@testable import ArttuiServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO

/// A server on a fresh database (created in the PostgreSQL that ARTTUI_TEST_DATABASE_URL names) and a
/// local store in a temporary directory; `run` hands a test client to the test and drops both after.
struct ServerFixture {
    /// Why the suites that need PostgreSQL are skipped, or nil when they run.
    static var skipReason: String? {
        ProcessInfo.processInfo.environment["ARTTUI_TEST_DATABASE_URL"] == nil
            ? "ARTTUI_TEST_DATABASE_URL is not set: skipping server tests that need PostgreSQL" : nil
    }

    /// How long a test server waits for PostgreSQL. The server's default (3 s) is what `serve` promises
    /// users; with every suite running at once on 2 cores, a healthy database can take longer to answer,
    /// so tests that are not about outages wait longer, as the admin tests' `ARTTUI_DATABASE_TIMEOUT` does.
    /// 30 s was not enough while release builds ran beside the whole suite (load 4-13): every in-process
    /// server's queries gave up at the same moment; on a quiet machine the suite passes either way.
    static let databaseTimeout: Duration = .seconds(90)

    /// A client of the database `url` names, with the tests' connect timeout.
    static func client(_ url: DatabaseURL, logger: Logger) -> PostgresClient {
        var url = url
        url.connectTimeout = databaseTimeout
        return DatabaseConnector.client(url, logger: logger)
    }

    static var enabled: Bool {
        if let reason = skipReason {
            print(reason)
            return false
        }
        return true
    }

    /// Runs `body` with a test client, the account store and the store, on a database of its own;
    /// `.live` serves on a loopback port (the client's `port`) for tests that speak HTTP themselves.
    /// `cacheLifetime` is the account store's, as `serve --cache-ttl` sets it (none by default).
    static func run(
        _ setup: TestingSetup = .router, cacheLifetime: Duration = .zero,
        _ body: @Sendable (any TestClientProtocol, AccountStore, Store) async throws -> Void
    ) async throws {
        let base = try DatabaseURL(ProcessInfo.processInfo.environment["ARTTUI_TEST_DATABASE_URL"]!)
        var logger = Logger(label: "arttui-server.test")
        logger.logLevel = .warning
        let name = "arttui_test_\(UUID().uuidString.prefix(8).lowercased())"
        try await admin(base, logger: logger, "CREATE DATABASE \(name)")
        var url = base
        url.database = name
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-server-\(name)")
        let store = try Store(directory: directory)
        let client = Self.client(url, logger: logger)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                let accounts = AccountStore(client: client, logger: logger, timeout: databaseTimeout, cacheLifetime: cacheLifetime)
                try await accounts.migrate()
                let api = ArttuiAPI(store: store, accounts: accounts)
                let app = Application(router: api.makeRouter(), logger: logger)
                try await app.test(setup) { testClient in try await body(testClient, accounts, store) }
                group.cancelAll()
            }
        } catch {
            try? FileManager.default.removeItem(at: directory)
            try? await admin(base, logger: logger, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
        try? FileManager.default.removeItem(at: directory)
        try await admin(base, logger: logger, "DROP DATABASE \(name) WITH (FORCE)")
    }

    /// Runs `body` with the URL of a fresh database (migrated) and an account store on it.
    static func withDatabase(_ body: @Sendable (String, AccountStore) async throws -> Void) async throws {
        let base = try DatabaseURL(ProcessInfo.processInfo.environment["ARTTUI_TEST_DATABASE_URL"]!)
        var logger = Logger(label: "arttui-server.test")
        logger.logLevel = .warning
        let name = "arttui_test_\(UUID().uuidString.prefix(8).lowercased())"
        try await admin(base, logger: logger, "CREATE DATABASE \(name)")
        var url = base
        url.database = name
        let client = Self.client(url, logger: logger)
        let text = "postgres://\(url.user)\(url.password.map { ":\($0)" } ?? "")@\(url.host):\(url.port)/\(name)"
        var failure: (any Error)?
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                let accounts = AccountStore(client: client, logger: logger, timeout: databaseTimeout)
                try await accounts.migrate()
                try await body(text, accounts)
                group.cancelAll()
            }
        } catch {
            failure = error
        }
        try? await admin(base, logger: logger, "DROP DATABASE \(name) WITH (FORCE)")
        if let failure { throw failure }
    }

    private static func admin(_ url: DatabaseURL, logger: Logger, _ sql: String) async throws {
        var url = url
        url.connectTimeout = databaseTimeout
        let connection = try await PostgresConnection.connect(
            configuration: url.connectionConfiguration, id: 1, logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}

/// Requests as a given token.
struct Session: Sendable {
    let client: any TestClientProtocol
    let token: String?

    func send(_ method: HTTPRequest.Method, _ uri: String, json: (any Encodable & Sendable)? = nil, bytes: [UInt8]? = nil)
        async throws -> TestResponse
    {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            let encoder = JSONEncoder()
            body = ByteBuffer(bytes: try encoder.encode(json))
            headers[.contentType] = "application/json"
        } else if let bytes {
            body = ByteBuffer(bytes: bytes)
            headers[.contentType] = "application/octet-stream"
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body)
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(response.body.readableBytesView))
    }

    /// Puts `files` as a new version of `project/artifact` through the upload protocol; returns the
    /// commit's answer and how many chunks were sent.
    @discardableResult
    func put(
        _ project: String, _ artifact: String, files: [String: Data], type: String = "dataset", aliases: [String]? = nil,
        run: String? = nil, distributedID: String? = nil
    ) async throws
        -> (response: TestResponse, sent: Int)
    {
        let prepared = PreparedUpload(files: files)
        let missingResponse = try await send(
            .post, "/api/v1/projects/\(project)/chunks/missing", json: MissingChunksRequest(digests: prepared.chunkOrder))
        guard missingResponse.status == .ok else { return (missingResponse, 0) }
        let missing = try decode(MissingChunksResponse.self, missingResponse).missing
        let started = try await send(.post, "/api/v1/projects/\(project)/uploads")
        guard started.status == .created else { return (started, 0) }
        let upload = try decode(UploadCreated.self, started).upload
        if !missing.isEmpty {
            let pack = try await send(.put, "/api/v1/projects/\(project)/uploads/\(upload)/packs", bytes: prepared.pack(missing))
            guard pack.status == .created else { return (pack, missing.count) }
        }
        let request = prepared.commit(
            artifact: artifact, type: type, aliases: aliases, run: run, distributedID: distributedID)
        var sent = missing.count
        var commit = try await send(.post, "/api/v1/projects/\(project)/uploads/\(upload)/commit", json: request)
        // The store may have lost chunks it had (a deletion since the query): send those and retry.
        if commit.status == .conflict, let again = try decode(Problem.self, commit).missing, !again.isEmpty {
            _ = try await send(.put, "/api/v1/projects/\(project)/uploads/\(upload)/packs", bytes: prepared.pack(again))
            sent += again.count
            commit = try await send(.post, "/api/v1/projects/\(project)/uploads/\(upload)/commit", json: request)
        }
        return (commit, sent)
    }
}
