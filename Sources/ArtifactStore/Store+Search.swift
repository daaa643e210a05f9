extension Store {
    /// The committed versions matching `query`, answered by the catalog without loading other versions.
    /// - Throws: ``CatalogCapabilityError`` when the catalog cannot search; `StoreError.projectNotFound`.
    public func find(_ query: VersionQuery) throws -> [ArtifactVersion] {
        guard let search = catalog as? any VersionSearch else {
            throw CatalogCapabilityError(operation: "find", catalog: String(describing: type(of: catalog)))
        }
        var query = query
        if let project = query.project { query.project = try NameRules.validateProject(project) }
        return try search.findVersions(query)
    }
}
