/// A project and artifact that fetched a cached file; the cache reports usage by owner.
public struct CacheOwner: Hashable, Sendable, Codable {
    /// The project's name.
    public var project: String
    /// The artifact's name within the project.
    public var artifact: String

    /// Creates an owner.
    public init(project: String, artifact: String) {
        self.project = project
        self.artifact = artifact
    }
}
