/// What changed from one version (the base) to another (the target): files, metadata, description, aliases.
///
/// Files are compared by path and content digest in the catalog (``VersionComparison``); a file removed
/// at one path and added with the same digest at another is a rename.
public struct VersionDiff: Hashable, Sendable {
    /// The older version, compared against.
    public var base: ArtifactVersion
    /// The newer version.
    public var target: ArtifactVersion
    /// Changed files, sorted by path (the target's, or the base's for removed files).
    public var files: [FileChange]
    /// Changed metadata keys, sorted.
    public var metadata: [MetadataDifference]
    /// Aliases the target has and the base has not.
    public var aliasesAdded: [String]
    /// Aliases the base has and the target has not.
    public var aliasesRemoved: [String]

    /// Assembles a diff, pairing removed and added files of equal digest into renames.
    public init(base: ArtifactVersion, target: ArtifactVersion, differences: FileDifferences) {
        self.base = base
        self.target = target
        self.files = VersionDiff.pairRenames(differences)
        self.metadata = MetadataDifference.changes(from: base.metadata, to: target.metadata)
        self.aliasesAdded = target.aliases.filter { !base.aliases.contains($0) }
        self.aliasesRemoved = base.aliases.filter { !target.aliases.contains($0) }
    }

    /// Whether the descriptions differ.
    public var descriptionChanged: Bool { base.description != target.description }

    /// Whether nothing differs at all.
    public var isEmpty: Bool {
        files.isEmpty && metadata.isEmpty && !descriptionChanged && aliasesAdded.isEmpty && aliasesRemoved.isEmpty
    }

    /// How many files changed in each way.
    public func count(_ kind: FileChange.Kind) -> Int { files.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) } }

    /// Removed and added files with one digest pair up in path order; what is left stays added or removed.
    static func pairRenames(_ differences: FileDifferences) -> [FileChange] {
        var removedByDigest: [String: [ManifestEntry]] = [:]
        for entry in differences.removed { removedByDigest[entry.digest, default: []].append(entry) }
        var changes: [FileChange] = differences.modified
        var renamedFrom = Set<String>()
        for entry in differences.added {
            if var candidates = removedByDigest[entry.digest], !candidates.isEmpty {
                let source = candidates.removeFirst()
                removedByDigest[entry.digest] = candidates
                renamedFrom.insert(source.path)
                changes.append(FileChange(kind: .renamed, base: source, target: entry))
            } else {
                changes.append(FileChange(kind: .added, base: nil, target: entry))
            }
        }
        for entry in differences.removed where !renamedFrom.contains(entry.path) {
            changes.append(FileChange(kind: .removed, base: entry, target: nil))
        }
        return changes.sorted { $0.path < $1.path }
    }
}
