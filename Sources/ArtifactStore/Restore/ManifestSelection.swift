/// The entries a download of some of a version's files writes (`arttui get --path`).
public enum ManifestSelection {
    /// The entries of `entries` at `paths`, in manifest order; all of them when `paths` is nil.
    /// - Throws: `StoreError.invalidArgument` naming the first path `version` does not have.
    public static func entries(_ entries: [ManifestEntry], at paths: [String]?, of version: String) throws
        -> [ManifestEntry]
    {
        guard let paths else { return entries }
        let known = Set(entries.map(\.path))
        if let absent = paths.first(where: { !known.contains($0) }) {
            throw StoreError.invalidArgument("\(version) has no file \"\(absent)\"")
        }
        let wanted = Set(paths)
        return entries.filter { wanted.contains($0.path) }
    }
}
