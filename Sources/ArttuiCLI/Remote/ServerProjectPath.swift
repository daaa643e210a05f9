import ArtifactStore
import Foundation

/// `ENTITY/PROJECT` on a team server; `ENTITY/` may be left out for the signed-in user's own entity.
struct ServerProjectPath: Equatable {
    /// The user or team, nil when left for the signed-in user.
    var entity: String?
    /// The project within the entity.
    var project: String

    /// Parses `[ENTITY/]PROJECT`.
    init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 1 || parts.count == 2 else {
            throw CommandFailure(message: "project \"\(text)\" must be ENTITY/PROJECT or PROJECT")
        }
        entity = parts.count == 2 ? try ServerNames.entity(parts[0], in: text) : nil
        // The store's project rule, as `find --project` checks it locally and the server when creating one.
        project = try NameRules.validateProject(parts[parts.count - 1])
    }

    /// This path with the entity filled in by `defaultEntity` when it was left out.
    func resolved(defaultEntity: () throws -> String) rethrows -> (entity: String, project: String) {
        (try entity ?? defaultEntity(), project)
    }
}
