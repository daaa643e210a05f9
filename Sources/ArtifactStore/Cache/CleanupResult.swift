/// What ``FileCache/cleanup(toAtMost:dryRun:unlinkLater:)`` removed, or would remove in a dry run.
public struct CleanupResult: Sendable, Codable, Hashable {
    /// Bytes of the files removed.
    public var freedBytes: Int64
    /// Number of files removed.
    public var removedFiles: Int
    /// Bytes left in the cache afterwards.
    public var remainingBytes: Int64
    /// Files left in the cache afterwards.
    public var remainingFiles: Int
    /// Pinned files that would have been removed (in least-recently-used order, while the
    /// cache was still above the target) had a running process not been using them.
    public var skippedPinnedFiles: Int
    /// Temporary files removed (`--remove-temp`): what downloads that were killed left half-written.
    public var removedTemporaryFiles: Int
    /// Their bytes.
    public var removedTemporaryBytes: Int64

    /// Creates a result.
    public init(freedBytes: Int64, removedFiles: Int, remainingBytes: Int64, remainingFiles: Int, skippedPinnedFiles: Int,
                removedTemporaryFiles: Int = 0, removedTemporaryBytes: Int64 = 0) {
        self.freedBytes = freedBytes
        self.removedFiles = removedFiles
        self.remainingBytes = remainingBytes
        self.remainingFiles = remainingFiles
        self.skippedPinnedFiles = skippedPinnedFiles
        self.removedTemporaryFiles = removedTemporaryFiles
        self.removedTemporaryBytes = removedTemporaryBytes
    }
}
