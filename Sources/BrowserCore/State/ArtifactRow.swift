import ArtifactStore

/// A row of the artifacts pane: a type heading or an artifact under it.
public enum ArtifactRow: Hashable, Sendable {
    /// A type heading with the number of artifacts under it.
    case group(type: String, count: Int)
    /// An artifact.
    case artifact(ArtifactSummary)

    /// Whether the cursor can rest on it.
    var isSelectable: Bool {
        if case .artifact = self { return true }
        return false
    }

    /// Groups artifacts by type (types and names sorted), each group under its heading.
    static func grouped(_ artifacts: [ArtifactSummary]) -> [ArtifactRow] {
        let byType = Dictionary(grouping: artifacts, by: \.type)
        var rows: [ArtifactRow] = []
        for type in byType.keys.sorted() {
            let members = byType[type]!.sorted { $0.name < $1.name }
            rows.append(.group(type: type, count: members.count))
            rows += members.map(ArtifactRow.artifact)
        }
        return rows
    }
}
