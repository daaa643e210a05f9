import Foundation

/// An artifact without a version: `[ENTITY/]PROJECT/NAME`, as `put -n` and `delete` take it.
public struct ArtifactPath: Hashable, Sendable, CustomStringConvertible {
    /// The user or team, when given; the local store has one implicit entity.
    public var entity: String?
    /// The project.
    public var project: String
    /// The artifact's name.
    public var name: String

    /// Creates a path from parts already validated.
    public init(entity: String? = nil, project: String, name: String) {
        self.entity = entity
        self.project = project
        self.name = name
    }

    /// Reads `[ENTITY/]PROJECT/NAME`; a `:REF` is refused because this names the artifact, not a version.
    /// - Throws: `StoreError.invalidAddress` naming the problem.
    public init(parsing text: String) throws {
        if text.contains(":") {
            throw StoreError.invalidAddress(
                text: text, reason: "may not name a version or alias here; leave out the ':' part")
        }
        self = try Self.parseParts(text, in: text)
    }

    /// `entity/project/name` or `project/name`.
    public var description: String {
        [entity, project, name].compactMap { $0 }.joined(separator: "/")
    }

    /// Splits and validates the part of an address before any `:`.
    /// - Parameters:
    ///   - parts: `[ENTITY/]PROJECT/NAME`.
    ///   - text: the whole address, for error messages.
    static func parseParts(_ parts: String, in text: String) throws -> ArtifactPath {
        func failure(_ reason: String) -> StoreError { StoreError.invalidAddress(text: text, reason: reason) }

        let pieces = parts.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch pieces.count {
        case 1:
            if pieces[0].isEmpty { throw failure("is empty") }
            throw failure("has no artifact name; write PROJECT/NAME")
        case 2, 3:
            break
        default:
            throw failure("has too many '/'; write [ENTITY/]PROJECT/NAME")
        }
        let name = pieces[pieces.count - 1]
        let project = pieces[pieces.count - 2]
        let entity = pieces.count == 3 ? pieces[0] : nil
        if name.isEmpty { throw failure("is missing the artifact name after '/'") }
        if project.isEmpty { throw failure("is missing the project name before '/'") }
        if entity?.isEmpty == true { throw failure("is missing the entity name before '/'") }
        try rethrowingAsAddressError(text) {
            if let entity { try NameRules.validateEntity(entity) }
            try NameRules.validateProject(project)
            try NameRules.validateArtifactName(name)
        }
        return ArtifactPath(entity: entity, project: project, name: name)
    }
}

/// Runs `body`, turning a naming error into an address error that quotes the inner message.
func rethrowingAsAddressError(_ text: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as StoreError {
        switch error {
        case .invalidName, .invalidAlias:
            throw StoreError.invalidAddress(text: text, reason: "is invalid: \(error.description)")
        default:
            throw error
        }
    }
}
