/// Thrown inside a catalog's commit transaction when chunks a batch relies on are gone, to take back
/// what earlier batches recorded; the catalog catches it once the transaction is undone and answers
/// `CommitOutcome.missingChunks`.
public struct MissingChunksRollback: Error, Sendable {
    /// The chunks (or contents taken from a stat cache) the store no longer has.
    public var digests: Set<String>

    /// Creates the signal for `digests`.
    public init(digests: Set<String>) {
        self.digests = digests
    }
}
