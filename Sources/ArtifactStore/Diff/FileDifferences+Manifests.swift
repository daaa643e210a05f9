import Foundation

extension FileDifferences {
    /// The differences between two manifests held in memory, by path and content digest, as a catalog's
    /// `fileDifferences` answers them for versions it holds (for a client that has only the manifests,
    /// such as one talking to a team server). Each list is sorted by path, bytewise.
    public static func between(base: [ManifestEntry], target: [ManifestEntry]) -> FileDifferences {
        let baseByPath = Dictionary(base.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let targetByPath = Dictionary(target.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        func bytewise(_ left: String, _ right: String) -> Bool { left.utf8.lexicographicallyPrecedes(right.utf8) }
        let added = target.filter { baseByPath[$0.path] == nil }.sorted { bytewise($0.path, $1.path) }
        let removed = base.filter { targetByPath[$0.path] == nil }.sorted { bytewise($0.path, $1.path) }
        let modified = target.compactMap { entry -> FileChange? in
            guard let old = baseByPath[entry.path], old.digest != entry.digest else { return nil }
            return FileChange(kind: .modified, base: old, target: entry)
        }.sorted { bytewise($0.path, $1.path) }
        return FileDifferences(added: added, removed: removed, modified: modified)
    }
}
