import ArtifactStore

extension Catalog {
    /// The keys of the packs that hold a version's chunks.
    public func packKeys(ofVersion versionID: Int64) throws -> Set<String> {
        Set(try chunkLocations(versionID: versionID).values.joined().map(\.location.packKey))
    }
}
