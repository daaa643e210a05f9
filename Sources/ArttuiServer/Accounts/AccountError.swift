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

/// The rules for user and team names: they appear in `ENTITY/PROJECT` paths and in URLs.
public enum EntityName {
    /// The longest name.
    public static let maxLength = 64

    /// The same rule as a regular expression, as the OpenAPI document states it for every user and team name.
    public static let pattern = "^[A-Za-z0-9_][A-Za-z0-9._-]{0,\(maxLength - 1)}$"

    /// Checks a name: 1-64 ASCII letters, digits, `-`, `_` and `.`, not starting with `.` or `-` (which a
    /// command line would take for an option).
    @discardableResult
    public static func validate(_ name: String) throws(AccountError) -> String {
        if name.isEmpty { throw .invalidEntityName(name, rule: "must not be empty") }
        if name.unicodeScalars.count > maxLength {
            throw .invalidEntityName(name, rule: "is longer than \(maxLength) characters")
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_" || scalar == ".")
        }
        if !allowed { throw .invalidEntityName(name, rule: "may only contain letters, digits, '-', '_' and '.'") }
        if name.hasPrefix(".") || name.hasPrefix("-") {
            throw .invalidEntityName(name, rule: "may not start with '.' or '-'")
        }
        return name
    }
}
