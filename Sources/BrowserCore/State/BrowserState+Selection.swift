import ArtifactStore

/// What is selected, derived from the loaded data, the cursors and the filters.
extension BrowserState {
    /// Projects after the projects filter.
    public var visibleProjects: [ProjectSummary] {
        let all = projects ?? []
        guard let needle = activeNeedle(.projects) else { return all }
        return all.filter { $0.name.lowercased().contains(needle) }
    }

    /// The project under the cursor.
    public var selectedProject: ProjectSummary? {
        let list = visibleProjects
        let cursor = position(.projects).cursor
        return list.indices.contains(cursor) ? list[cursor] : nil
    }

    /// Rows of the artifacts pane for the selected project, after the filter.
    public var artifactRows: [ArtifactRow] {
        guard let project = selectedProject, let all = artifacts[project.name] else { return [] }
        guard let needle = activeNeedle(.artifacts) else { return ArtifactRow.grouped(all) }
        return ArtifactRow.grouped(all.filter {
            $0.name.lowercased().contains(needle) || $0.type.lowercased().contains(needle)
                || $0.description.lowercased().contains(needle)
        })
    }

    /// The artifact under the cursor.
    public var selectedArtifact: ArtifactSummary? {
        let rows = artifactRows
        let cursor = position(.artifacts).cursor
        guard rows.indices.contains(cursor), case .artifact(let summary) = rows[cursor] else { return nil }
        return summary
    }

    /// The selected artifact's key.
    var selectedArtifactKey: ArtifactKey? {
        selectedArtifact.map { ArtifactKey(project: $0.project, artifact: $0.name) }
    }

    /// Rows in the versions pane: all versions, or the filter's matches.
    public var versionRowCount: Int {
        guard let key = selectedArtifactKey, let list = versionLists[key] else { return 0 }
        if activeNeedle(.versions) != nil { return list.filtered?.count ?? 0 }
        return list.count ?? 0
    }

    /// Whether the selected artifact's version count (or filter scan) has come back, so an empty
    /// list means there is nothing, not that it is still loading.
    public var versionsSettled: Bool {
        guard let key = selectedArtifactKey, let list = versionLists[key] else { return false }
        return activeNeedle(.versions) != nil ? list.filtered != nil : list.count != nil
    }

    /// The version shown in a row of the versions pane, if loaded.
    public func version(atRow row: Int) -> ArtifactVersion? {
        guard let key = selectedArtifactKey, let list = versionLists[key] else { return nil }
        if activeNeedle(.versions) != nil {
            guard let filtered = list.filtered, filtered.indices.contains(row) else { return nil }
            return filtered[row]
        }
        return list.version(at: row)
    }

    /// The version under the cursor, if loaded.
    public var selectedVersion: ArtifactVersion? {
        version(atRow: position(.versions).cursor)
    }

    /// Number of rows in a list pane.
    func rowCount(_ pane: Pane) -> Int {
        switch pane {
        case .projects: return visibleProjects.count
        case .artifacts: return artifactRows.count
        case .versions: return versionRowCount
        case .detail: return 0
        }
    }

    /// The lowercased filter of a pane, when one is set.
    func activeNeedle(_ pane: Pane) -> String? {
        guard let filter = filters[pane], !filter.needle.isEmpty else { return nil }
        return filter.needle
    }

    /// `project/artifact:v3`, as far as something is selected.
    public var selectionLabel: String {
        guard let project = selectedProject?.name else { return "nothing selected" }
        guard focus != .projects, let artifact = selectedArtifact?.name else { return project }
        guard focus == .versions || focus == .detail, let version = selectedVersion else {
            return "\(project)/\(artifact)"
        }
        return "\(project)/\(artifact):\(version.versionName)"
    }
}

/// Whether a version matches a filter: its number, aliases, description, run and metadata text.
enum VersionMatcher {
    /// `needle` must already be lowercased.
    static func matches(_ version: ArtifactVersion, _ needle: String) -> Bool {
        if version.versionName.contains(needle) { return true }
        if version.aliases.contains(where: { $0.lowercased().contains(needle) }) { return true }
        if version.description.lowercased().contains(needle) { return true }
        if version.loggedBy?.lowercased().contains(needle) == true { return true }
        if version.metadata.isEmpty { return false }
        return JSONValue.object(version.metadata).jsonText.lowercased().contains(needle)
    }
}
