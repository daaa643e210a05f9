import ArtifactStore
import Foundation

/// A page of an artifact's versions, newest first, as `GET …/artifacts/{artifact}/versions` answers.
public struct WireVersionPage: Codable, Sendable, Equatable {
    public var versions: [WireVersion]
    /// Committed versions of the artifact in all.
    public var total: Int
    public var offset: Int
    public var limit: Int

    /// Creates a page.
    public init(versions: [WireVersion], total: Int, offset: Int, limit: Int) {
        self.versions = versions
        self.total = total
        self.offset = offset
        self.limit = limit
    }
}

/// The body of `PATCH …/versions/{version}`: what to change; nil leaves a field as it is.
public struct WireVersionChange: Codable, Sendable, Equatable {
    public var description: String?
    /// Replaces the whole metadata.
    public var metadata: [String: JSONValue]?
    /// Replaces the hand-set aliases (an alias another version holds moves here).
    public var aliases: [String]?

    /// Creates the body.
    public init(description: String? = nil, metadata: [String: JSONValue]? = nil, aliases: [String]? = nil) {
        self.description = description
        self.metadata = metadata
        self.aliases = aliases
    }
}
