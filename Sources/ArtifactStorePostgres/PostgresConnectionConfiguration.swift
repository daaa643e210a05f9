import Foundation
import PostgresNIO

/// Where the catalog database is and how to log in, read from a `postgres://` URL.
///
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=disable|prefer|require|verify-full`, as libpq
/// reads it: the port defaults to 5432, the database to the user name, `sslmode` to `prefer`; user and
/// password may be percent-encoded. `?host=/dir` connects through the Unix socket in `/dir` instead.
/// `description` and `endpoint` never contain the password.
public struct PostgresConnectionConfiguration: Sendable, CustomStringConvertible {
    /// How the connection uses TLS, by libpq's `sslmode` names.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP only.
        case disable
        /// TLS when the server offers it, without verifying its certificate.
        case prefer
        /// TLS always, without verifying the certificate.
        case require
        /// TLS always, with the certificate verified against the system's roots and the host name.
        case verifyFull = "verify-full"
    }

    /// The server's host name or address (ignored when `socketDirectory` is set).
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// The directory holding the server's Unix socket, when connecting through it.
    public var socketDirectory: String?
    /// The role to log in as.
    public var user: String
    /// The role's password, if the server asks for one.
    public var password: String?
    /// The database holding the catalog.
    public var database: String
    /// How TLS is used.
    public var tlsMode: TLSMode

    /// Reads a `postgres://` or `postgresql://` URL: the one reader of database URLs, for the catalog
    /// and for the server's own account store.
    /// - Parameter setting: Where the text came from, for the error: the variable or flag that gave it.
    /// - Throws: `DatabaseURLError` naming the setting, the URL without its password, and what is wrong.
    public init(url text: String, setting: String = "database URL") throws(DatabaseURLError) {
        func invalid(_ problem: String) -> DatabaseURLError {
            DatabaseURLError(setting: setting, url: DatabaseURLError.withoutPassword(text), problem: problem)
        }
        let expected = "postgres://USER:PASSWORD@HOST:PORT/DATABASE"
        guard let components = URLComponents(string: text), let scheme = components.scheme else {
            throw invalid("is not a \(expected) URL")
        }
        guard ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw invalid("starts with \(scheme)://, not postgres:// (\(expected))")
        }
        let query = components.queryItems ?? []
        func parameter(_ name: String) -> String? { query.last { $0.name == name }?.value }
        let socket = parameter("host").flatMap { $0.hasPrefix("/") ? $0 : nil }
        let host = components.percentEncodedHost.flatMap { $0.removingPercentEncoding } ?? ""
        guard !host.isEmpty || socket != nil else { throw invalid("names no host (\(expected))") }
        guard let user = components.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else {
            throw invalid("names no user (\(expected))")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw invalid("has port \(port); a port is 1 to 65535")
        }
        let path = components.percentEncodedPath.removingPercentEncoding ?? ""
        let database = path.hasPrefix("/") ? String(path.dropFirst()) : path
        guard !database.contains("/") else {
            throw invalid("names database \"\(database)\", which may not contain '/'")
        }
        var tlsMode = TLSMode.prefer
        if let mode = parameter("sslmode") {
            guard let known = TLSMode(rawValue: mode) else {
                let names = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw invalid("has sslmode=\(mode); use one of \(names)")
            }
            tlsMode = known
        }
        if let unknown = query.first(where: { !["sslmode", "host"].contains($0.name) }) {
            throw invalid("has unknown parameter \"\(unknown.name)\" (known: sslmode, host)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.socketDirectory = socket
        self.user = user
        self.password = components.percentEncodedPassword?.removingPercentEncoding
        self.database = database.isEmpty ? user : database
        self.tlsMode = tlsMode
    }

    /// Where the server is, for messages: `HOST:PORT` or the socket directory.
    public var endpoint: String {
        socketDirectory.map { "socket in \($0)" } ?? "\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// The URL without the password.
    public var description: String {
        var text = "postgres://\(user)@\(socketDirectory == nil ? endpoint : "")/\(database)"
        var parameters: [String] = []
        if let socketDirectory { parameters.append("host=\(socketDirectory)") }
        if tlsMode != .prefer { parameters.append("sslmode=\(tlsMode.rawValue)") }
        if !parameters.isEmpty { text += "?" + parameters.joined(separator: "&") }
        return text
    }

    /// postgres-nio's configuration for one connection (the catalog's pool, the server's start-up check).
    public func connectionConfiguration(connectTimeout: TimeAmount) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketDirectory {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: socketPath(socketDirectory), username: user, password: password, database: database)
        } else {
            let tls: PostgresConnection.Configuration.TLS = switch tlsSettings() {
            case nil: .disable
            case let settings?: tlsMode == .prefer
                ? .prefer(try NIOSSLContext(configuration: settings)) : .require(try NIOSSLContext(configuration: settings))
            }
            configuration = PostgresConnection.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        configuration.options.connectTimeout = connectTimeout
        configuration.options.additionalStartupParameters = [("application_name", "arttui")]
        return configuration
    }

    /// postgres-nio's configuration for its own pool (`PostgresClient`, the server's account store).
    public func clientConfiguration(connectTimeout: Duration) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketDirectory {
            configuration = PostgresClient.Configuration(
                unixSocketPath: socketPath(socketDirectory), username: user, password: password, database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS = switch tlsSettings() {
            case nil: .disable
            case let settings?: tlsMode == .prefer ? .prefer(settings) : .require(settings)
            }
            configuration = PostgresClient.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        configuration.options.connectTimeout = connectTimeout
        configuration.options.additionalStartupParameters = [("application_name", "arttui")]
        return configuration
    }

    /// Why connecting with this configuration failed, as one line naming the cause: a refused or a
    /// missing password (with the user), a missing database, or an unreachable server.
    public func connectFailure(_ error: any Error) -> PostgresCatalogError {
        PostgresErrorMapping.connectFailure(error, configuration: self)
    }

    private func socketPath(_ directory: String) -> String { "\(directory)/.s.PGSQL.\(port)" }

    /// The TLS settings `sslmode` asks for; nil for plain TCP.
    private func tlsSettings() -> TLSConfiguration? {
        switch tlsMode {
        case .disable:
            return nil
        case .prefer, .require:
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.certificateVerification = .none
            return settings
        case .verifyFull:
            return .makeClientConfiguration()
        }
    }
}
