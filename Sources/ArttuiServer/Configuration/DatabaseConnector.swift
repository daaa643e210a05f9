import ArtifactStorePostgres
import Foundation
import Logging
import PostgresNIO

/// Opens the account database and checks, before anything else, that it answers: postgres-nio's pool
/// retries a wrong password forever without a word, so start-up tries one connection of its own first.
public enum DatabaseConnector {
    /// Fails within `limit` with one line naming the cause when the database is unreachable or refuses us.
    public static func check(_ url: DatabaseURL, logger: Logger, limit: Duration? = nil) async throws {
        let limit = limit ?? url.connectTimeout + .seconds(5)
        let outcome: String? = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do {
                    let connection = try await PostgresConnection.connect(
                        configuration: url.connectionConfiguration, id: 1, logger: logger)
                    defer { Task { try? await connection.close() } }
                    try await connection.query("SELECT 1", logger: logger)
                    return nil
                } catch {
                    return PostgresConnectFailure.reason(of: error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return "no answer within \(limit)"
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if let outcome { throw ConfigurationError.unreachable("the database at \(url)", outcome) }
    }

    /// A client for the pool; the caller runs it (`run()`) for as long as it is used.
    public static func client(_ url: DatabaseURL, logger: Logger) -> PostgresClient {
        PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
    }
}
