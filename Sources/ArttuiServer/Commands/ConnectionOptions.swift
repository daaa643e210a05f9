import ArgumentParser
import ArtifactStore
import Foundation
import Logging
import PostgresNIO

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

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The account database's address.
    func database() throws -> DatabaseURL {
        guard let text = databaseURL ?? environment["ARTTUI_DATABASE_URL"], !text.isEmpty else {
            throw ConfigurationError.invalid("ARTTUI_DATABASE_URL", "is not set (or give --database-url)")
        }
        return try DatabaseURL(text)
    }

    /// Opens the artifact store the server serves.
    func openStore() throws -> Store {
        if let storeDirectory {
            return try Store(directory: URL(fileURLWithPath: storeDirectory))
        }
        throw ConfigurationError.invalid(
            "--store", "is required in this build: the PostgreSQL catalog and S3 object store are not wired in yet")
    }

    /// Runs `body` with an account store whose database answered a first connection.
    func withAccounts<T: Sendable>(logger: Logger, _ body: @escaping @Sendable (AccountStore) async throws -> T)
        async throws -> T
    {
        let url = try database()
        try await DatabaseConnector.check(url, logger: logger)
        let client = DatabaseConnector.client(url, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(AccountStore(client: client, logger: logger))
        }
    }
}

/// Logs to stderr at `level` (ARTTUI_LOG_LEVEL, default info for the server and warning for commands).
func makeLogger(_ label: String, default level: Logger.Level) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["ARTTUI_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? level
    return logger
}
