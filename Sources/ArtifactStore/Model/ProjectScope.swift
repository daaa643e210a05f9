import Foundation

/// What `ls` and `prune` act on: a whole project, or one artifact in it (`PROJECT[/NAME]`).
public struct ProjectScope: Hashable, Sendable, CustomStringConvertible {
    /// The project.
    public var project: String
    /// The artifact, or nil for every artifact of the project.
    public var name: String?

    /// Creates a scope from parts already validated.
    public init(project: String, name: String? = nil) {
        self.project = project
        self.name = name
    }

    /// Reads `PROJECT` or `PROJECT/NAME`; a trailing `/` is allowed and means the whole project.
    /// - Throws: `StoreError.invalidAddress` naming the problem.
    public init(parsing text: String) throws {
        func failure(_ reason: String) -> StoreError { StoreError.invalidAddress(text: text, reason: reason) }

        if text.contains(":") {
            throw failure("may not name a version or alias here; leave out the ':' part")
        }
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if pieces.count > 2 { throw failure("has too many '/'; write PROJECT or PROJECT/NAME") }
        let project = pieces[0]
        let name = pieces.count == 2 && !pieces[1].isEmpty ? pieces[1] : nil
        if project.isEmpty { throw failure(text.isEmpty ? "is empty" : "is missing the project name") }
        try rethrowingAsAddressError(text) {
            try NameRules.validateProject(project)
            if let name { try NameRules.validateArtifactName(name) }
        }
        self.init(project: project, name: name)
    }

    /// `project` or `project/name`.
    public var description: String { name.map { "\(project)/\($0)" } ?? project }
}
