import Foundation

/// The minimum, average and maximum chunk sizes of content-defined chunking.
///
/// Changing the sizes of a store changes where files are cut, so unchanged content stops deduplicating
/// against what was stored before; a store records the parameters it was created with.
public struct ChunkingParameters: Sendable, Hashable {
    /// No cut point is searched before this many bytes.
    public let minSize: Int
    /// The target average; a power of two, as the masks are derived from its logarithm.
    public let averageSize: Int
    /// A chunk is cut here when no content-defined cut point was found.
    public let maxSize: Int

    /// 256 KiB / 1 MiB / 4 MiB: about 1,000 chunks per GiB, few enough for the catalog and for per-chunk
    /// file overhead, small enough that an edit rewrites about 1-2 MiB.
    public static let standard = ChunkingParameters(uncheckedMin: 256 << 10, average: 1 << 20, max: 4 << 20)

    /// Creates parameters.
    /// - Throws: `StoreError.invalidArgument` unless `64 ≤ minSize ≤ averageSize ≤ maxSize` and `averageSize`
    ///   is a power of two between 256 B and 1 GiB.
    public init(minSize: Int, averageSize: Int, maxSize: Int) throws {
        guard minSize >= 64, minSize <= averageSize, averageSize <= maxSize else {
            throw StoreError.invalidArgument(
                "chunk sizes must satisfy 64 <= min <= average <= max, got \(minSize) / \(averageSize) / \(maxSize)")
        }
        guard averageSize.nonzeroBitCount == 1, averageSize >= 256, averageSize <= 1 << 30 else {
            throw StoreError.invalidArgument(
                "average chunk size must be a power of two from 256 B to 1 GiB, got \(averageSize)")
        }
        self.init(uncheckedMin: minSize, average: averageSize, max: maxSize)
    }

    private init(uncheckedMin minSize: Int, average averageSize: Int, max maxSize: Int) {
        self.minSize = minSize
        self.averageSize = averageSize
        self.maxSize = maxSize
    }

    /// log2 of the average size: the number of mask bits at the normal point.
    var averageBits: Int { averageSize.trailingZeroBitCount }
}
