import ArtifactStore

/// A run as the lineage view shows it on Enter: its record and what it used and logged.
public struct RunDetail: Hashable, Sendable {
    /// Id, name, job type, state, config, summary.
    public var record: RunRecord
    /// Versions it used, `project/name:vN`, ` (deleted)` after a tombstone, first use first.
    public var used: [String]
    /// Versions it logged, the same way.
    public var logged: [String]

    /// Creates a detail.
    public init(record: RunRecord, used: [String], logged: [String]) {
        self.record = record
        self.used = used
        self.logged = logged
    }
}
