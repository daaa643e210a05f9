import ArgumentParser
import ArtifactStore
import ArtifactStorePostgres
import ArtifactStoreS3
import Foundation
import Logging
import PostgresNIO
import S3Client

/// Where the server's state lives: from the environment, flags overriding.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "postgres://USER:PASSWORD@HOST:PORT/DATABASE (env ARTTUI_DATABASE_URL).")
    var databaseURL: String?

    @Option(name: .customLong("store"), help: "Keep artifacts in a local store directory instead of PostgreSQL and S3 (development).")
    var storeDirectory: String?

    @Option(name: .customLong("s3-endpoint"), help: "S3 endpoint URL (env ARTTUI_S3_ENDPOINT).")
    var s3Endpoint: String?

    @Option(name: .customLong("s3-bucket"), help: "S3 bucket (env ARTTUI_S3_BUCKET).")
    var s3Bucket: String?

    @Option(name: .customLong("s3-region"), help: "S3 region (env ARTTUI_S3_REGION, default us-east-1).")
    var s3Region: String?

    @Option(name: .customLong("master-key-file"), help: "Key file sealing stored objects (env ARTTUI_MASTER_KEY_FILE).")
    var masterKeyFile: String?

    @Option(name: .customLong("database-timeout"), parsing: .unconditional, help: ArgumentHelp(
        "Seconds connecting to PostgreSQL and an account query may take before the database counts as "
            + "unavailable (env ARTTUI_DATABASE_TIMEOUT; default 3).", valueName: "seconds"),
        transform: ServerNumbers.serviceTimeout.read)
    var databaseTimeoutSeconds: Double?

    @Option(name: .customLong("s3-timeout"), parsing: .unconditional, help: ArgumentHelp(
        "Seconds one object-store operation, its retries included, may wait on a silent store before the "
            + "store counts as unavailable (env ARTTUI_S3_TIMEOUT; default 3).", valueName: "seconds"),
        transform: ServerNumbers.serviceTimeout.read)
    var s3TimeoutSeconds: Double?

    /// The default of `--s3-timeout`, as long as the readiness probe waits for the bucket: a request
    /// reading from a hung bucket is answered 503 well within the 5 s the server promises, and before
    /// the client's own 4.5 s stall limit would give up on the server instead.
    static let defaultS3Timeout: TimeInterval = 3

    /// The default of `--database-timeout`, for the same reason as `defaultS3Timeout`: a request waiting
    /// on a hung database is answered 503 before the client's 4.5 s stall limit gives up on the server.
    /// At 4 s a put whose packs the server had stopped reading a moment before PostgreSQL stopped failed
    /// with "server did not answer within 4.5 s" instead of the 503 naming the database, 2 runs in 3.
    static let defaultDatabaseTimeout: Duration = .seconds(3)

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// `--s3-timeout`, else `$ARTTUI_S3_TIMEOUT`, else the default.
    func s3Timeout() throws -> TimeInterval {
        if let s3TimeoutSeconds { return s3TimeoutSeconds }
        return try ServerNumbers.environment("ARTTUI_S3_TIMEOUT", ServerNumbers.serviceTimeout, in: environment)
            ?? Self.defaultS3Timeout
    }

    /// `--database-timeout`, else `$ARTTUI_DATABASE_TIMEOUT`, else the default: the connect timeout and
    /// every account query's, for `serve`, `migrate` and `admin` alike.
    func databaseTimeout() throws -> Duration {
        let seconds = try databaseTimeoutSeconds
            ?? ServerNumbers.environment("ARTTUI_DATABASE_TIMEOUT", ServerNumbers.serviceTimeout, in: environment)
        return seconds.map { .milliseconds(Int64($0 * 1000)) } ?? Self.defaultDatabaseTimeout
    }

    /// The database's address (the catalog's and the account store's), with the connect timeout.
    func database() throws -> DatabaseURL {
        var url = try DatabaseURL(try databaseURLText(), setting: databaseURL == nil ? "$ARTTUI_DATABASE_URL" : "--database-url")
        url.connectTimeout = try databaseTimeout()
        return url
    }

    /// Every setting `openStore` needs, read now: the bucket, the master key file (loaded and checked)
    /// and the S3 endpoint and credentials, so a missing or bad one is refused before any service is
    /// asked, and is never reported as the fault of a database that does not answer.
    /// - Throws: one line naming the setting at fault.
    func storeSettings() throws -> StoreSettings {
        if let storeDirectory { return .directory(URL(fileURLWithPath: storeDirectory)) }
        var environment = self.environment
        if let s3Endpoint { environment["ARTTUI_S3_ENDPOINT"] = s3Endpoint }
        if let s3Region { environment["ARTTUI_S3_REGION"] = s3Region }
        guard let bucket = s3Bucket ?? environment["ARTTUI_S3_BUCKET"], !bucket.isEmpty else {
            throw ConfigurationError.invalid("$ARTTUI_S3_BUCKET", "is not set (or give --s3-bucket, or --store DIR)")
        }
        guard let keyFile = masterKeyFile ?? environment["ARTTUI_MASTER_KEY_FILE"], !keyFile.isEmpty else {
            throw ConfigurationError.invalid(
                "$ARTTUI_MASTER_KEY_FILE", "is not set (create one with `arttui-server admin key generate FILE`)")
        }
        let keyring = try MasterKeyring.load(contentsOf: URL(fileURLWithPath: keyFile))
        var configuration = try s3Configuration(environment)
        let timeout = try s3Timeout()
        configuration.operationTimeout = timeout
        configuration.connectTimeout = min(configuration.connectTimeout, timeout)
        return .bucket(StoreSettings.Bucket(name: bucket, s3: configuration, keyring: keyring, database: try database()))
    }

    /// The store the server serves and a check that its object storage answers (for `/readyz`).
    ///
    /// A local store directory, or the catalog in PostgreSQL (migrated here) and the objects in the
    /// S3 bucket, sealed with the master key.
    /// - Throws: one line naming the service at fault.
    func openStore(_ settings: StoreSettings, logger: Logger) throws
        -> (store: Store, objectsReachable: @Sendable () async -> String?)
    {
        let bucket: StoreSettings.Bucket
        switch settings {
        case let .directory(directory): return (try Store(directory: directory), { nil })
        case let .bucket(settings): bucket = settings
        }
        let client = S3Client(configuration: bucket.s3)
        let staging = FileManager.default.temporaryDirectory
            .appendingPathComponent("arttui-server-staging-\(ProcessInfo.processInfo.processIdentifier)")
        // Packs are immutable and a get reads each in many records requests: up to 64 MiB of whole
        // packs stay in memory for the requests that follow (one GET per pack instead of one per run).
        let bucketStore = try S3ObjectStore(
            client: client, bucket: bucket.name, stagingDirectory: staging, recentObjectBytes: 64 << 20)
        let catalog = try PostgresCatalog(
            configuration: bucket.database.connection,
            connectTimeout: TimeAmount(try databaseTimeout()), logger: logger)
        let store = Store(
            directory: staging, catalog: catalog,
            objects: SealedObjectStore(wrapping: bucketStore, keyring: bucket.keyring))
        return (store, {
            do {
                try await client.headBucket(bucket.name)
                return nil
            } catch {
                return "\(error)"
            }
        })
    }

    /// The S3 endpoint, region and credentials, `--s3-endpoint` named as the flag it was given as.
    private func s3Configuration(_ environment: [String: String]) throws -> S3Configuration {
        do {
            return try S3Configuration.fromEnvironment(environment)
        } catch let error {
            guard s3Endpoint != nil, case let .malformed(variable, reason) = error, variable == "ARTTUI_S3_ENDPOINT" else {
                throw error
            }
            throw ConfigurationError.invalid("--s3-endpoint", reason)
        }
    }

    /// The database URL as given.
    private func databaseURLText() throws -> String {
        guard let text = databaseURL ?? environment["ARTTUI_DATABASE_URL"], !text.isEmpty else {
            throw ConfigurationError.invalid("$ARTTUI_DATABASE_URL", "is not set (or give --database-url)")
        }
        return text
    }

    /// Runs `body` with an account store whose database answered a first connection.
    func withAccounts<T: Sendable>(logger: Logger, _ body: @escaping @Sendable (AccountStore) async throws -> T)
        async throws -> T
    {
        let url = try database()
        let timeout = try databaseTimeout()
        try await DatabaseConnector.check(url, logger: logger)
        let client = DatabaseConnector.client(url, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(AccountStore(client: client, logger: logger, timeout: timeout))
        }
    }
}

/// Logs to stderr at `level` (ARTTUI_LOG_LEVEL, default info for the server and warning for commands).
func makeLogger(_ label: String, default level: Logger.Level) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["ARTTUI_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? level
    return logger
}
