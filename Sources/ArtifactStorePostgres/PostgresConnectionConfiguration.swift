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

    /// Reads a `postgres://` or `postgresql://` URL.
    /// - Throws: `PostgresCatalogError.invalidURL` naming what is wrong (never echoing the password).
    public init(url text: String) throws {
        guard let components = URLComponents(string: text) else {
            throw PostgresCatalogError.invalidURL(reason: "is not a URL (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
        }
        guard let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw PostgresCatalogError.invalidURL(
                reason: "must start with postgres:// (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
        }
        let query = components.queryItems ?? []
        func parameter(_ name: String) -> String? { query.last { $0.name == name }?.value }
        let socket = parameter("host").flatMap { $0.hasPrefix("/") ? $0 : nil }
        let host = components.percentEncodedHost.flatMap { $0.removingPercentEncoding } ?? ""
        guard !host.isEmpty || socket != nil else {
            throw PostgresCatalogError.invalidURL(reason: "names no host (expected postgres://USER@HOST:PORT/DATABASE)")
        }
        guard let user = components.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else {
            throw PostgresCatalogError.invalidURL(reason: "postgres://\(host)/… names no user (expected postgres://USER@HOST…)")
        }
        let path = components.percentEncodedPath.removingPercentEncoding ?? ""
        let database = path.hasPrefix("/") ? String(path.dropFirst()) : path
        guard !database.contains("/") else {
            throw PostgresCatalogError.invalidURL(reason: "names database \"\(database)\", which may not contain '/'")
        }
        var tlsMode = TLSMode.prefer
        if let mode = parameter("sslmode") {
            guard let known = TLSMode(rawValue: mode) else {
                let names = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw PostgresCatalogError.invalidURL(reason: "has sslmode=\(mode); use one of \(names)")
            }
            tlsMode = known
        }
        if let unknown = query.first(where: { !["sslmode", "host"].contains($0.name) }) {
            throw PostgresCatalogError.invalidURL(reason: "has unknown parameter \"\(unknown.name)\" (known: sslmode, host)")
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

    /// postgres-nio's configuration for one connection.
    func connectionConfiguration(connectTimeout: TimeAmount) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketDirectory {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password,
                database: database)
        } else {
            configuration = PostgresConnection.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: try tls())
        }
        configuration.options.connectTimeout = connectTimeout
        configuration.options.additionalStartupParameters = [("application_name", "arttui")]
        return configuration
    }

    private func tls() throws -> PostgresConnection.Configuration.TLS {
        switch tlsMode {
        case .disable:
            return .disable
        case .prefer, .require:
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.certificateVerification = .none
            let context = try NIOSSLContext(configuration: settings)
            return tlsMode == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }
}
