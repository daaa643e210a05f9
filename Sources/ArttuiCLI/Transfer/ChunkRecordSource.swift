import ArtifactStore
import Foundation

/// Where an upload takes the records of the chunks it sends: files being put (compressed on the
/// way), the local store's packs or another server (records as stored).
///
/// Each upload worker has its own source, so a source need not be thread-safe.
protocol ChunkRecordSource: AnyObject {
    /// Appends the records of `digests`, in order, to `pack`.
    func appendRecords(of digests: [String], to pack: inout [UInt8]) throws
}
