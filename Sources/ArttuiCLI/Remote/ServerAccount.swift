import ArgumentParser
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

/// A project as the server answers and `project ls --json` prints it.
struct ServerProject: Codable {
    var entity: String
    var name: String
    var path: String
    var visibility: String
    var access: String
}

/// Who may read and write a project.
enum ProjectVisibility: String, CaseIterable, ExpressibleByArgument, Codable {
    case `private`, `public`, open
}
