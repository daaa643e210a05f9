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
        let parts = try Self.parts(of: text, entities: false).parts
        let name = parts.count == 2 ? parts[1] : nil
        try Self.checkNames(project: parts[0], name: name, in: text)
        self.init(project: parts[0], name: name)
    }

    /// The `/`-separated parts of a scope, `PROJECT[/NAME]` or, with `entities` (a server's),
    /// `[ENTITY/]PROJECT[/NAME]`, none empty; a trailing `/` (the whole project) is dropped and reported.
    /// - Throws: `StoreError.invalidAddress` naming the problem in the same words for a store and a server.
    public static func parts(of text: String, entities: Bool) throws -> (parts: [String], trailingSlash: Bool) {
        func failure(_ reason: String) -> StoreError { StoreError.invalidAddress(text: text, reason: reason) }
        let grammar = entities ? "[ENTITY/]PROJECT[/NAME]" : "PROJECT or PROJECT/NAME"
        if text.contains(":") { throw failure("may not name a version or alias here; leave out the ':' part") }
        if text.isEmpty { throw failure("is empty") }
        var parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let trailingSlash = parts.count > 1 && parts.last == ""
        if trailingSlash { parts.removeLast() }
        if parts.count > (entities ? 3 : 2) { throw failure("has too many '/'; write \(grammar)") }
        if parts[0].isEmpty { throw failure("is missing the \(parts.count == 3 ? "entity" : "project") name") }
        if parts.contains("") { throw failure("has an empty name between '/'; write \(grammar)") }
        return (parts, trailingSlash)
    }

    /// Checks a scope's project name and artifact name, if any, by the store's naming rules.
    /// - Throws: `StoreError.invalidAddress` quoting the rule broken.
    public static func checkNames(project: String, name: String?, in text: String) throws {
        try rethrowingAsAddressError(text) {
            try NameRules.validateProject(project)
            if let name { try NameRules.validateArtifactName(name) }
        }
    }

    /// `project` or `project/name`.
    public var description: String { name.map { "\(project)/\($0)" } ?? project }
}
