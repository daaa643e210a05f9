import ArtifactStore
/// `C`: the cache view's state.
public struct CacheViewState: Hashable, Sendable {
    /// The last measurement, nil while measuring the first time.
    public var summary: CacheSummary?
    /// The target size typed (`500MB`, `2GiB`).
    public var target = TextField()
    /// Why the target was refused, shown next to it.
    public var error: String?
    /// What the last cleanup did.
    public var lastCleanup: CleanupResult?
    /// Ticket of the measurement or cleanup in flight.
    public var pendingTicket: Int?
    /// First visible entry row.
    public var scroll = 0
}
