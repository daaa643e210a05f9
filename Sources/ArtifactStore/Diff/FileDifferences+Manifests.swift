import Foundation

extension FileDifferences {
    /// The differences between two manifests held in memory, by path and content, as a catalog's
    /// `fileDifferences` answers them for versions it holds (for a client that has only the manifests,
    /// such as one talking to a team server). Each list is sorted by path, bytewise.
    public static func between(base: [ManifestEntry], target: [ManifestEntry]) -> FileDifferences {
        let baseByPath = Dictionary(base.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let targetByPath = Dictionary(target.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let added = target.filter { baseByPath[$0.path] == nil }.sorted(by: bytewise)
        let removed = base.filter { targetByPath[$0.path] == nil }.sorted(by: bytewise)
        let modified = target.compactMap { entry -> FileChange? in
            guard let old = baseByPath[entry.path], !old.hasSameContent(as: entry) else { return nil }
            return FileChange(kind: .modified, base: old, target: entry)
        }.sorted { bytewise($0.path, $1.path) }
        return FileDifferences(added: added, removed: removed, modified: modified)
    }

    /// These differences of stored files with those of the two versions' reference entries added.
    ///
    /// A catalog compares stored files by content in SQL and keeps reference entries apart (they have
    /// no content in the store); this puts both into one answer. A path that is a stored file on one
    /// side and a reference on the other is modified, not removed and added.
    public func addingReferences(base: [ManifestEntry], target: [ManifestEntry]) -> FileDifferences {
        guard !base.isEmpty || !target.isEmpty else { return self }
        // A path one version holds as a stored file and the other as a reference is among the stored
        // files' removals or additions: comparing those with the references pairs it up as modified.
        let rest = FileDifferences.between(base: removed + base, target: added + target)
        return FileDifferences(
            added: rest.added, removed: rest.removed,
            modified: (modified + rest.modified).sorted { Self.bytewise($0.path, $1.path) })
    }

    private static func bytewise(_ left: ManifestEntry, _ right: ManifestEntry) -> Bool { bytewise(left.path, right.path) }

    private static func bytewise(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }
}

extension ManifestEntry {
    /// Whether two entries stand for the same bytes: the same digest, and for references the same
    /// source (a reference moved to another object is a change even when its checksum is equal).
    public func hasSameContent(as other: ManifestEntry) -> Bool {
        digest == other.digest && reference == other.reference
    }
}
