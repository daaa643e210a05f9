import Foundation

/// What `find` asks the catalog for: committed versions matching every given filter, sorted, limited.
public struct VersionQuery: Hashable, Sendable {
    /// Only versions in this project, when set.
    public var project: String?
    /// Only versions in one of these projects, when set (an empty set matches nothing): how a server
    /// limits a search to the projects its caller may read.
    public var projects: Set<String>?
    /// Conditions that must all hold (each `--where`).
    public var conditions: [QueryExpression]
    /// Only artifacts of this type, when set.
    public var type: String?
    /// Only versions carrying this alias (`latest` included), when set.
    public var alias: String?
    /// Only versions created strictly after this instant.
    public var createdAfter: Date?
    /// Only versions created strictly before this instant.
    public var createdBefore: Date?
    /// Only versions logged by this run.
    public var loggedBy: String?
    /// The order of the results.
    public var sort: VersionSortKey
    /// At most this many results; nil for all.
    public var limit: Int?

    /// Creates a query; with no filters it matches every committed version, newest first.
    public init(
        project: String? = nil, projects: Set<String>? = nil, conditions: [QueryExpression] = [], type: String? = nil, alias: String? = nil,
        createdAfter: Date? = nil, createdBefore: Date? = nil, loggedBy: String? = nil,
        sort: VersionSortKey = .newestFirst, limit: Int? = nil
    ) {
        self.project = project
        self.projects = projects
        self.conditions = conditions
        self.type = type
        self.alias = alias
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
        self.loggedBy = loggedBy
        self.sort = sort
        self.limit = limit
    }
}

/// The order of `find`'s results: a field, ascending or descending. Ties go newest first.
public struct VersionSortKey: Hashable, Sendable {
    /// What to sort by.
    public enum Field: Hashable, Sendable {
        /// `project/name`, then version number.
        case name
        /// `size`, `files`, `created` or a metadata key (versions without the key come last).
        case field(QueryField)
    }

    /// What to sort by.
    public var field: Field
    /// Largest (or newest, or last in name order) first.
    public var descending: Bool

    /// Creates a sort key.
    public init(field: Field, descending: Bool) {
        self.field = field
        self.descending = descending
    }

    /// `-created`: the default.
    public static let newestFirst = VersionSortKey(field: .field(.created), descending: true)
}
