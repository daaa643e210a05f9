import ArtifactStore

/// Why the PostgreSQL catalog could not be reached or opened; each case prints as one line.
///
/// `unreachable` is the one a server answers with 503: the database is down or does not answer, and
/// the request changed nothing. The others mean the configuration is wrong and end start-up.
public enum PostgresCatalogError: Error, Equatable, Sendable {
    /// No connection could be made, or the database stopped answering.
    case unreachable(endpoint: String, reason: String)
    /// The server refused the password the URL gives for `user`.
    case passwordRefused(endpoint: String, user: String)
    /// The server asks for a password for `user` and the URL gives none.
    case passwordMissing(endpoint: String, user: String)
    /// The server refused the login for another reason (no `pg_hba.conf` entry, an unsupported method).
    case authenticationFailed(endpoint: String, reason: String)
    /// The server has no database of this name.
    case databaseMissing(endpoint: String, database: String)
    /// The server refused the connection for another reason (TLS, permissions, too many clients).
    case refused(endpoint: String, reason: String)
    /// The database holds a catalog schema newer than this build knows.
    case schemaTooNew(found: Int, supported: Int)
    /// Every pooled connection stayed busy for longer than the pool waits.
    case poolExhausted(connections: Int, waitedSeconds: Int)
    /// The catalog was closed.
    case closed
}

extension PostgresCatalogError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .unreachable(endpoint, reason):
            return "catalog database unreachable: \(reason) (\(endpoint))"
        case let .passwordRefused(endpoint, user):
            return "catalog database refused the password of user \"\(user)\" (\(endpoint)); check the password in the database URL"
        case let .passwordMissing(endpoint, user):
            return "catalog database asks for a password for user \"\(user)\" and the database URL has none (\(endpoint))"
        case let .authenticationFailed(endpoint, reason):
            return "catalog database refused the login: \(reason) (\(endpoint))"
        case let .databaseMissing(endpoint, database):
            return "catalog database \"\(database)\" does not exist (\(endpoint))"
        case let .refused(endpoint, reason):
            return "catalog database refused the connection: \(reason) (\(endpoint))"
        case let .schemaTooNew(found, supported):
            return "catalog database has schema version \(found), newer than the \(supported) this arttui-server knows"
        case let .poolExhausted(connections, waited):
            return "catalog database busy: all \(connections) connections stayed in use for \(waited) s"
        case .closed:
            return "catalog database connection was closed"
        }
    }
}
