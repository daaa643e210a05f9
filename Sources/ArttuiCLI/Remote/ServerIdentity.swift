import Foundation

/// The signed-in user as `GET /api/v1/whoami` answers.
struct ServerIdentity: Codable {
    /// A team and the user's role in it.
    struct Membership: Codable {
        var team: String
        var role: String
    }

    var name: String
    var admin: Bool
    var teams: [Membership]

    /// Asks `client`'s server who its token belongs to.
    static func fetch(_ client: ServerClient) throws -> ServerIdentity {
        try client.get("/api/v1/whoami")
    }
}
