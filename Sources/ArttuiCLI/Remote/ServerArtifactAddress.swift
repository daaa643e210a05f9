import ArtifactStore
import Foundation

/// `[ENTITY/]PROJECT/NAME[:REF]` on a team server.
struct ServerArtifactAddress: Equatable {
    /// The user or team, nil when left for the signed-in user.
    var entity: String?
    /// The project within the entity.
    var project: String
    /// The artifact's name.
    var name: String
    /// `latest`, `vN` or an alias; nil when not given.
    var reference: String?

    /// Parses `[ENTITY/]PROJECT/NAME[:REF]` by the store's address rules, so a bad address is refused in the
    /// same words locally and on a server; an entity must also be a server's user or team name.
    init(parsing text: String) throws {
        let address = try ArtifactAddress(parsing: text)
        entity = try address.entity.map { try ServerNames.entity($0, in: text) }
        project = address.project
        name = address.name
        reference = text.contains(":") ? address.reference.description : nil
    }
}
