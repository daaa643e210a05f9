import ArtifactStore

extension Store {
    /// Total bytes of the pack objects: what the store holds for file contents.
    public func packBytes() throws -> Int64 {
        try objects.list().filter { $0.key.hasPrefix("packs/") }.reduce(0) { $0 + $1.size }
    }
}
