/// A catalog that compares the files of two versions itself, by path and content digest, without reading content.
///
/// Separate from ``Catalog`` so that a catalog without it still works for everything else; the store
/// reports ``CatalogCapabilityError`` when `diff` is used on one.
public protocol VersionComparison {
    /// The files only `target` has, only `base` has, and those at one path with different content.
    /// Renames are paired up afterwards by ``VersionDiff``, from the added and removed lists.
    func fileDifferences(base baseID: Int64, target targetID: Int64) throws -> FileDifferences
}

/// The raw file differences between two versions, each list sorted by path.
public struct FileDifferences: Hashable, Sendable {
    /// Paths only the newer version (the target) has.
    public var added: [ManifestEntry]
    /// Paths only the older version (the base) has.
    public var removed: [ManifestEntry]
    /// Paths both have with different content, as `.modified` changes.
    public var modified: [FileChange]

    /// Creates the differences.
    public init(added: [ManifestEntry], removed: [ManifestEntry], modified: [FileChange]) {
        self.added = added
        self.removed = removed
        self.modified = modified
    }
}
