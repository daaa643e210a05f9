/// Some of a version's files, with the contents they name and the chunks written for those contents:
/// what `Catalog.commit` records at a time, so that a version of any size is never whole in memory.
public struct CommitBatch: Sendable {
    /// Files of the version, in manifest (byte) order; the batches follow one another in that order too.
    public var files: [ManifestEntry]
    /// The contents these files name (a content may appear in several batches).
    public var contents: [ContentRecord]
    /// Chunks written for these contents, with their locations, in packs the commit names.
    public var newChunks: [StoredChunk]

    /// Creates a batch.
    public init(files: [ManifestEntry], contents: [ContentRecord], newChunks: [StoredChunk]) {
        self.files = files
        self.contents = contents
        self.newChunks = newChunks
    }
}

/// A version's files as batches in manifest order, which can be gone through more than once (the
/// store reads them once to check them and compute the digest, the catalog once more to record them).
/// A version held in memory is the one-batch case (`one(_:)`); a team server reads the parts a client
/// sent one at a time.
public struct CommitBatches: Sendable {
    private let source: @Sendable ((CommitBatch) throws -> Void) throws -> Void

    /// Batches `forEach` produces by calling its argument with each batch in turn.
    public init(_ forEach: @escaping @Sendable ((CommitBatch) throws -> Void) throws -> Void) {
        source = forEach
    }

    /// No batches.
    public static let none = CommitBatches { _ in }

    /// The version as one batch.
    public static func one(_ batch: CommitBatch) -> CommitBatches {
        CommitBatches { body in try body(batch) }
    }

    /// `self`'s batches, then `last`.
    public func followed(by last: CommitBatch) -> CommitBatches {
        CommitBatches { [source] body in
            try source(body)
            try body(last)
        }
    }

    /// Calls `body` with each batch in order; what either throws ends the walk.
    public func forEach(_ body: (CommitBatch) throws -> Void) throws {
        try source(body)
    }
}
