import ArtifactWire

/// What the account store refuses, each case naming the thing at fault.
public enum AccountError: Error, Equatable, CustomStringConvertible {
    /// A user or team name breaks the rules.
    case invalidEntityName(String, rule: String)
    /// No user has this name.
    case userNotFound(String)
    /// No team has this name.
    case teamNotFound(String)
    /// The name is already a user or team.
    case entityExists(String)
    /// The project already exists.
    case projectExists(String)
    /// The database did not answer in time or refused the connection.
    case databaseUnavailable(String)

    public var description: String {
        switch self {
        case let .invalidEntityName(name, rule): return "entity name \"\(name)\" \(rule)"
        case let .userNotFound(name): return "no user named \"\(name)\""
        case let .teamNotFound(name): return "no team named \"\(name)\""
        case let .entityExists(name): return "\"\(name)\" is already a user or team"
        case let .projectExists(path): return "project \(path) already exists"
        case let .databaseUnavailable(reason): return "the database is unavailable: \(reason)"
        }
    }
}

extension EntityName {
    /// Checks a name by `brokenRule(of:)` and returns it unchanged.
    /// - Throws: `AccountError.invalidEntityName` naming the rule broken.
    @discardableResult
    public static func validate(_ name: String) throws(AccountError) -> String {
        if let rule = brokenRule(of: name) { throw .invalidEntityName(name, rule: rule) }
        return name
    }
}
