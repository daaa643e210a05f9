/// What a user may do in an entity (a team, or the user's own name).
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    /// Reads the entity's projects.
    case viewer
    /// Reads and writes them, and creates projects.
    case member
    /// Everything a member does, plus visibility changes, memberships and the audit trail.
    case admin

    private var rank: Int {
        switch self {
        case .viewer: return 0
        case .member: return 1
        case .admin: return 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// Who may see and change a project, as the FAQ describes.
public enum Visibility: String, Codable, Sendable, CaseIterable {
    /// Only members of the project's team have access.
    case `private`
    /// Everyone reads; only the team writes.
    case `public`
    /// Everyone reads and writes (writing still needs a token).
    case open
}
