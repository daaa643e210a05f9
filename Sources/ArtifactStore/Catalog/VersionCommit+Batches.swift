/// What recording one batch of a commit did, as a catalog reports it to `VersionCommit.recordBatches`.
public enum BatchRecording {
    /// Recorded: the bytes of the chunk records it added, and the chunks another writer stored first.
    case recorded(addedBytes: Int64, unusedChunks: [StoredChunk])
    /// Chunks (or contents taken from a stat cache) the batch relies on are gone: nothing of it was recorded.
    case missing(Set<String>)
}

/// A version's totals, added up as its batches are recorded.
public struct BatchTotals {
    /// Bytes of all its files.
    public var size: Int64 = 0
    /// How many files it has.
    public var fileCount = 0
    /// Bytes of the chunk records the commit added.
    public var addedBytes: Int64 = 0
    /// Chunks written for it that another writer stored first.
    public var unusedChunks: [StoredChunk] = []
}

extension VersionCommit {
    /// Records the batches in order with `record`, inside the catalog's transaction, which gets the
    /// commit's packs with the first batch (recorded once its chunks are known to be there) and none
    /// after; returns the totals for the version's row.
    /// - Throws: `MissingChunksRollback` for a batch `record` found chunks missing from, to take back
    ///   every earlier one; what `record` throws.
    public func recordBatches(_ record: (_ batch: CommitBatch, _ packs: [ObjectInfo]) throws -> BatchRecording) throws
        -> BatchTotals
    {
        var packs = self.packs
        var totals = BatchTotals()
        try batches.forEach { batch in
            switch try record(batch, packs) {
            case let .missing(digests):
                throw MissingChunksRollback(digests: digests)
            case let .recorded(addedBytes, unusedChunks):
                totals.addedBytes += addedBytes
                totals.unusedChunks += unusedChunks
            }
            packs = []
            totals.fileCount += batch.files.count
            totals.size += batch.files.reduce(Int64(0)) { $0 + $1.size }
        }
        return totals
    }
}
