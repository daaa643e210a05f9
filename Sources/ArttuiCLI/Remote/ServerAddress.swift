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
        project = try ServerNames.name(parts[parts.count - 1], kind: "project", in: text)
    }

    /// This path with the entity filled in by `defaultEntity` when it was left out.
    func resolved(defaultEntity: () throws -> String) rethrows -> (entity: String, project: String) {
        (try entity ?? defaultEntity(), project)
    }
}

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

/// The server's rules for names in addresses (the patterns of its OpenAPI document).
enum ServerNames {
    private static let nameCharacters = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")

    /// A user or team name: letters, digits, '_', '.', '-', not starting with '.' or '-', at most 64.
    static func entity(_ text: String, in address: String) throws -> String {
        guard !text.isEmpty, text.count <= 64, text.unicodeScalars.allSatisfy(nameCharacters.contains),
              !text.hasPrefix("."), !text.hasPrefix("-")
        else {
            throw CommandFailure(message: "entity \"\(text)\" in \"\(address)\" may only contain letters, digits, "
                + "'_', '.' and '-' (not first '.' or '-', at most 64)")
        }
        return text
    }

    /// A project, artifact or version name: letters, digits, '_', '.', '-', at most 128.
    static func name(_ text: String, kind: String, in address: String) throws -> String {
        guard !text.isEmpty, text.count <= 128, text.unicodeScalars.allSatisfy(nameCharacters.contains),
              text != ".", text != ".."
        else {
            throw CommandFailure(message:
                "\(kind) \"\(text)\" in \"\(address)\" may only contain letters, digits, '_', '.' and '-' (at most 128)")
        }
        return text
    }
}
