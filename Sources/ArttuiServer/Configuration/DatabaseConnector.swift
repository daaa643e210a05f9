import ArtifactStorePostgres
import Foundation
import Logging
import PostgresNIO

/// Opens the account database and checks, before anything else, that it answers: postgres-nio's pool
/// retries a wrong password forever without a word, so start-up tries one connection of its own first.
public enum DatabaseConnector {
    /// Fails within `limit` with one line naming the cause: the database does not answer (`cannot
    /// reach the database at …`), or it refuses us: a wrong or missing password (naming the user and
    /// HOST:PORT), a missing database, TLS.
    public static func check(_ url: DatabaseURL, logger: Logger, limit: Duration? = nil) async throws {
        let limit = limit ?? url.connectTimeout + .seconds(5)
        let configuration = try url.connectionConfiguration
        let outcome: PostgresCatalogError? = await withTaskGroup(of: PostgresCatalogError?.self) { group in
            group.addTask {
                do {
                    let connection = try await PostgresConnection.connect(
                        configuration: configuration, id: 1, logger: logger)
                    defer { Task { try? await connection.close() } }
                    try await connection.query("SELECT 1", logger: logger)
                    return nil
                } catch {
                    return url.connection.connectFailure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return .unreachable(endpoint: url.connection.endpoint, reason: "no answer within \(limit)")
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch outcome {
        case nil: return
        case .unreachable(_, let reason)?: throw ConfigurationError.unreachable("the database at \(url)", reason)
        case let refusal?: throw refusal
        }
    }

    /// A client for the pool; the caller runs it (`run()`) for as long as it is used.
    public static func client(_ url: DatabaseURL, logger: Logger) -> PostgresClient {
        PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
    }
}
