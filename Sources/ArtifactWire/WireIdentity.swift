import Foundation

/// The signed-in user as `GET /api/v1/whoami` answers and `whoami --json` prints it.
public struct WireIdentity: Codable, Sendable, Equatable {
    /// A team and the user's role in it.
    public struct Membership: Codable, Sendable, Equatable {
        public var team: String
        /// `admin`, `member` or `viewer`.
        public var role: String

        /// Creates a membership.
        public init(team: String, role: String) {
            self.team = team
            self.role = role
        }
    }

    /// The user's name, which is also their own entity.
    public var name: String
    /// Whether the user administers the whole server.
    public var admin: Bool
    /// The teams the user belongs to, by name.
    public var teams: [Membership]

    /// Creates an identity.
    public init(name: String, admin: Bool, teams: [Membership]) {
        self.name = name
        self.admin = admin
        self.teams = teams
    }
}
