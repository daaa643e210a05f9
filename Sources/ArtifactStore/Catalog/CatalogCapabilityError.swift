/// A store operation that the store's catalog does not implement (say, `find` on a catalog without
/// ``VersionSearch``): names the operation and the catalog.
public struct CatalogCapabilityError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was asked, such as `find` or `diff`.
    public var operation: String
    /// The catalog's type name.
    public var catalog: String

    /// Creates the error.
    public init(operation: String, catalog: String) {
        self.operation = operation
        self.catalog = catalog
    }

    /// `find is not supported by this catalog (PostgresCatalog)`.
    public var description: String { "\(operation) is not supported by this catalog (\(catalog))" }
}
