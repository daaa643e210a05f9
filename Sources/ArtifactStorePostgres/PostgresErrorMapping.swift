import ArtifactStore
import Foundation
import PostgresNIO

/// Turns postgres-nio's errors into one-line errors that name the cause.
enum PostgresErrorMapping {
    /// SQLSTATE classes and codes that mean the server is gone or not accepting work.
    private static func isUnavailable(_ sqlState: String) -> Bool {
        sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(sqlState)
    }

    /// An error from connecting and logging in.
    static func connectFailure(_ error: any Error, configuration: PostgresConnectionConfiguration) -> PostgresCatalogError {
        let endpoint = configuration.endpoint
        guard let error = error as? PSQLError else {
            return PostgresCatalogError.unreachable(endpoint: endpoint, reason: reason(of: error))
        }
        if error.code == .server, let info = error.serverInfo {
            let state = info[.sqlState] ?? ""
            let message = info[.message] ?? "server error \(state)"
            switch state {
            case "28P01":
                // "password authentication failed for user …": the password is wrong (or the role has none).
                return PostgresCatalogError.passwordRefused(endpoint: endpoint, user: configuration.user)
            case "28000":
                return PostgresCatalogError.authenticationFailed(endpoint: endpoint, reason: message)
            case "3D000":
                return PostgresCatalogError.databaseMissing(endpoint: endpoint, database: configuration.database)
            case "55000":
                // "database is not currently accepting connections": closed for maintenance, try later.
                return PostgresCatalogError.unreachable(endpoint: endpoint, reason: message)
            default:
                if isUnavailable(state) { return PostgresCatalogError.unreachable(endpoint: endpoint, reason: message) }
                return PostgresCatalogError.refused(endpoint: endpoint, reason: message)
            }
        }
        switch error.code {
        case .authMechanismRequiresPassword:
            return PostgresCatalogError.passwordMissing(endpoint: endpoint, user: configuration.user)
        case .unsupportedAuthMechanism, .saslError:
            return PostgresCatalogError.authenticationFailed(endpoint: endpoint, reason: loginReason(error.code)!)
        case .sslUnsupported:
            return PostgresCatalogError.refused(
                endpoint: endpoint, reason: "the server does not offer TLS (sslmode=\(configuration.tlsMode.rawValue))")
        default:
            return PostgresCatalogError.unreachable(endpoint: endpoint, reason: reason(of: error))
        }
    }

    /// Why postgres-nio gave up logging in on its own side (no server message to show), or nil.
    static func loginReason(_ code: PSQLError.Code) -> String? {
        switch code {
        case .authMechanismRequiresPassword: "the server asks for a password and the URL has none"
        case .unsupportedAuthMechanism: "the server asks for an authentication method postgres-nio does not support"
        case .saslError: "SCRAM login failed"
        case .sslUnsupported: "the server does not offer TLS"
        default: nil
        }
    }

    /// An error from a statement on an open connection.
    static func queryFailure(_ error: any Error, endpoint: String) -> any Error {
        if let error = error as? PostgresCatalogError { return error }
        guard let error = error as? PSQLError else {
            return PostgresCatalogError.unreachable(endpoint: endpoint, reason: reason(of: error))
        }
        if error.code == .server, let info = error.serverInfo {
            let state = info[.sqlState] ?? ""
            let message = info[.message] ?? "server error \(state)"
            if isUnavailable(state) { return PostgresCatalogError.unreachable(endpoint: endpoint, reason: message) }
            return StoreError.catalog("PostgreSQL: \(message) (SQLSTATE \(state))")
        }
        return PostgresCatalogError.unreachable(endpoint: endpoint, reason: reason(of: error))
    }

    /// A short reason for a transport-level failure, without postgres-nio's multi-line dumps.
    static func reason(of error: any Error) -> String {
        if let error = error as? PSQLError {
            if let underlying = error.underlying { return reason(of: underlying) }
            switch error.code {
            case .serverClosedConnection, .uncleanShutdown: return "the server closed the connection"
            case .clientClosedConnection: return "the connection was closed"
            case .connectionError: return "connection failed"
            default: return "\(error.code)"
            }
        }
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode)).lowercased()
        }
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first { return reason(of: first.error) }
            if error.dnsAAAAError != nil || error.dnsAError != nil { return "cannot resolve host \(error.host)" }
            return "cannot connect to \(error.host):\(error.port)"
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError { return "timed out connecting" }
        let text = "\(error)"
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
    }
}
