import Foundation
import PostgresNIO

/// A `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` address, read into postgres-nio's configuration.
public struct DatabaseURL: Sendable, CustomStringConvertible {
    /// Host name or address.
    public var host: String
    /// TCP port; 5432 when the URL names none.
    public var port: Int
    /// User name.
    public var user: String
    /// Password, if any (never printed).
    public var password: String?
    /// Database name.
    public var database: String

    /// Reads a URL.
    /// - Throws: `ConfigurationError.invalid` naming what is wrong with it.
    public init(_ text: String) throws(ConfigurationError) {
        guard let components = URLComponents(string: text),
              components.scheme == "postgres" || components.scheme == "postgresql"
        else { throw .invalid("ARTTUI_DATABASE_URL", "must look like postgres://USER:PASSWORD@HOST:PORT/DATABASE") }
        guard let host = components.host, !host.isEmpty else {
            throw .invalid("ARTTUI_DATABASE_URL", "names no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw .invalid("ARTTUI_DATABASE_URL", "names no user")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        self.host = host
        self.port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.isEmpty ? user : database
    }

    /// How long connecting may take (`--database-timeout`, `$ARTTUI_DATABASE_TIMEOUT`).
    public var connectTimeout: Duration = .seconds(3)

    /// postgres-nio's client configuration (no TLS: the database is expected on a private network).
    public var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: .disable)
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }

    /// postgres-nio's single-connection configuration, for the start-up check.
    public var connectionConfiguration: PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: .disable)
        configuration.options.connectTimeout = TimeAmount(connectTimeout)
        return configuration
    }

    /// `postgres://USER@HOST:PORT/DATABASE`, without the password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
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
