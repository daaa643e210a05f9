/// The user a request acts for, with the roles that decide what it may do.
public struct Caller: Sendable, Equatable {
    /// The user's id in the account store.
    public var userID: Int64
    /// The user's name, which is also an entity.
    public var name: String
    /// A site administrator: acts as admin of every entity.
    public var isAdmin: Bool
    /// The user's role in each team, by entity name; the user's own entity is not listed.
    public var roles: [String: Role]

    /// Creates a caller.
    public init(userID: Int64, name: String, isAdmin: Bool, roles: [String: Role]) {
        self.userID = userID
        self.name = name
        self.isAdmin = isAdmin
        self.roles = roles
    }

    /// The caller's role in `entity`: admin of its own name and, for site admins, of everything.
    public func role(in entity: String) -> Role? {
        if isAdmin || entity == name { return .admin }
        return roles[entity]
    }
}
