/// How much of a project a caller may touch.
public enum Access: Int, Sendable, Comparable {
    /// Nothing: the project is answered as if it did not exist.
    case none
    /// List, show, download.
    case read
    /// Also put, edit, alias changes, delete, prune.
    case write
    /// Also visibility changes.
    case admin

    public static func < (lhs: Access, rhs: Access) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The access rules, as the FAQ states them: a private project is its team's only; everyone reads a
/// public project and only the team writes; everyone reads and writes an open project. Writing always
/// needs a token, and a team's viewers only read its projects (unless the project is open, where every
/// signed-in user writes: a viewer is never below an outsider).
public enum AccessPolicy {
    /// What `caller` (nil when signed out) may do in `project`.
    public static func access(_ caller: Caller?, to project: ProjectRecord) -> Access {
        let role = caller?.role(in: project.entity)
        let asTeam: Access
        switch role {
        case .admin?: asTeam = .admin
        case .member?: asTeam = .write
        case .viewer?: asTeam = .read
        case nil: asTeam = .none
        }
        let asAnyone: Access
        switch project.visibility {
        case .private: asAnyone = .none
        case .public: asAnyone = .read
        case .open: asAnyone = caller == nil ? .read : .write
        }
        return max(asTeam, asAnyone)
    }

    /// Whether `caller` may create projects under `entity`: its members and admins.
    public static func mayCreateProject(_ caller: Caller?, in entity: String) -> Bool {
        guard let role = caller?.role(in: entity) else { return false }
        return role >= .member
    }

    /// Whether `caller` may manage `entity`: memberships, the audit trail.
    public static func mayAdminister(_ caller: Caller?, entity: String) -> Bool {
        caller?.role(in: entity) == .admin
    }
}
