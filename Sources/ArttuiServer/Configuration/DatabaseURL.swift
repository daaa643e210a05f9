import ArtifactStorePostgres
import Foundation
import PostgresNIO

/// The server's database setting: where the database is and how to log in (read by the catalog's one
/// URL reader, `PostgresConnectionConfiguration`), and how long connecting may take. Its fields are
/// the configuration's (`url.user`, `url.database`…).
@dynamicMemberLookup
public struct DatabaseURL: Sendable, CustomStringConvertible {
    /// Where the database is and how to log in.
    public var connection: PostgresConnectionConfiguration

    /// How long connecting may take (`--database-timeout`, `$ARTTUI_DATABASE_TIMEOUT`).
    public var connectTimeout: Duration = ConnectionOptions.defaultDatabaseTimeout

    /// Reads a `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…]` URL.
    /// - Parameter setting: Where the text came from, for the error: the variable, or the flag given.
    /// - Throws: `DatabaseURLError` naming the setting, the URL (without its password) and what is wrong.
    public init(_ text: String, setting: String = "$ARTTUI_DATABASE_URL") throws(DatabaseURLError) {
        connection = try PostgresConnectionConfiguration(url: text, setting: setting)
    }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<PostgresConnectionConfiguration, Value>) -> Value {
        get { connection[keyPath: keyPath] }
        set { connection[keyPath: keyPath] = newValue }
    }

    /// postgres-nio's pool configuration, for the account store.
    public var clientConfiguration: PostgresClient.Configuration {
        connection.clientConfiguration(connectTimeout: connectTimeout)
    }

    /// postgres-nio's single-connection configuration, for the start-up check.
    /// - Throws: when the TLS context `sslmode` asks for cannot be made.
    public var connectionConfiguration: PostgresConnection.Configuration {
        get throws { try connection.connectionConfiguration(connectTimeout: TimeAmount(connectTimeout)) }
    }

    /// The URL without the password.
    public var description: String { connection.description }
}

/// A configuration the server cannot start with.
public enum ConfigurationError: Error, CustomStringConvertible {
    /// A setting is missing or malformed.
    case invalid(String, String)
    /// A service the server needs does not answer or refuses it.
    case unreachable(String, String)

    public var description: String {
        switch self {
        case let .invalid(setting, problem): return "\(setting) \(problem)"
        case let .unreachable(service, reason): return "cannot reach \(service): \(reason)"
        }
    }
}
