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

    /// Parses `[ENTITY/]PROJECT/NAME[:REF]`.
    init(parsing text: String) throws {
        var body = Substring(text)
        if let colon = text.lastIndex(of: ":") {
            let ref = String(text[text.index(after: colon)...])
            guard !ref.isEmpty else { throw CommandFailure(message: "address \"\(text)\" has an empty version after ':'") }
            reference = try ServerNames.name(ref, kind: "version", in: text)
            body = text[..<colon]
        }
        let parts = body.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3 else {
            throw CommandFailure(message: "address \"\(text)\" must be ENTITY/PROJECT/NAME[:REF] or PROJECT/NAME[:REF]")
        }
        entity = parts.count == 3 ? try ServerNames.entity(parts[0], in: text) : nil
        project = try ServerNames.name(parts[parts.count - 2], kind: "project", in: text)
        name = try ServerNames.name(parts[parts.count - 1], kind: "artifact name", in: text)
    }
}
