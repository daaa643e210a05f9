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
    /// - Parameter setting: Where the text came from, for the error: the variable, or the flag given.
    /// - Throws: `ConfigurationError.invalid` naming the setting, the URL (without its password) and
    ///   what is wrong with it.
    public init(_ text: String, setting: String = "ARTTUI_DATABASE_URL") throws(ConfigurationError) {
        let shown = "\(setting) \(Self.withoutPassword(text))"
        guard let components = URLComponents(string: text),
              components.scheme == "postgres" || components.scheme == "postgresql"
        else { throw .invalid(shown, "is not a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL") }
        guard let host = components.host, !host.isEmpty else {
            throw .invalid(shown, "names no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw .invalid(shown, "names no user")
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

    /// A URL as given, quoted, with any password taken out, for an error about it.
    static func withoutPassword(_ text: String) -> String {
        guard var components = URLComponents(string: text) else {
            // Not even a URL: a password in it cannot be told apart, so none of it is shown.
            return "(not a URL)"
        }
        if components.password != nil { components.password = nil }
        return "\"\(components.string ?? "")\""
    }
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
