/// A catalog that answers ``VersionQuery``s itself, in its own query language, without loading versions.
///
/// Separate from ``Catalog`` so that a catalog without it still works for everything else; the store
/// reports ``CatalogCapabilityError`` when `find` is used on one.
public protocol VersionSearch {
    /// The committed versions matching `query`, in its order, at most `query.limit` of them.
    /// - Throws: `StoreError.projectNotFound` for an unknown `query.project`; `StoreError.catalog` on failure.
    func findVersions(_ query: VersionQuery) throws -> [ArtifactVersion]
}
