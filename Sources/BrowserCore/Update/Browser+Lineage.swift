import ArtifactStore

/// The lineage view: arrows move between nodes, Enter on a version jumps to it.
extension Browser {
    static func lineageKey(_ state: inout BrowserState, _ view: LineageViewState, _ key: Key) -> [Effect] {
        var view = view
        guard let action = KeyMap.action(for: key, in: .lineage) else { return [] }
        if action == .cancel || action == .quit { return closeDialog(&state) }
        guard let layout = view.layout, let selected = view.selected,
            let (layer, row) = layout.position(of: selected)
        else { return [] }
        switch action {
        case .moveUp, .moveDown:
            let column = layout.layers[layer]
            let next = min(max(0, row + (action == .moveUp ? -1 : 1)), column.count - 1)
            view.selected = column[next].key
        case .previousPane, .nextPane:
            let target = layer + (action == .previousPane ? -1 : 1)
            guard layout.layers.indices.contains(target), !layout.layers[target].isEmpty else { return [] }
            // The node in the next layer at about the same height.
            let column = layout.layers[target]
            let scaled = layout.layers[layer].count <= 1 ? column.count / 2 : row * (column.count - 1) / (layout.layers[layer].count - 1)
            view.selected = column[min(column.count - 1, max(0, scaled))].key
        case .open:
            let node = layout.layers[layer][row]
            guard let target = node.target else {
                state.status = StatusMessage(node.isRun ? "runs have no page of their own; pick a version" : "that version is deleted")
                return []
            }
            state.modal = nil
            let ticket = begin(&state, "finding \(target.artifact):v\(target.index)", cancellable: true)
            return [.locateVersion(ticket: ticket, key: ArtifactKey(project: target.project, artifact: target.artifact),
                                   index: target.index)]
        default:
            return []
        }
        state.modal = .lineage(view)
        return []
    }

    /// Selects the version a lineage jump found: project, artifact, then the row.
    static func applyJump(_ state: inout BrowserState, _ jump: PendingJump) {
        state.filters = [:]
        guard let projectRow = state.visibleProjects.firstIndex(where: { $0.name == jump.key.project }) else {
            state.status = StatusMessage("project \(jump.key.project) is gone", .danger)
            return
        }
        let height = ScreenLayout(size: state.size).listHeight
        var projects = state.position(.projects)
        if projects.cursor != projectRow {
            projects.select(projectRow, count: state.visibleProjects.count, height: height)
            state.positions[.projects] = projects
            selectionChanged(&state, in: .projects)
        }
        guard state.artifacts[jump.key.project] != nil else {
            state.pendingJump = jump  // applied again when the artifacts arrive
            return
        }
        state.pendingJump = nil
        let rows = state.artifactRows
        guard let artifactRow = rows.firstIndex(where: {
            if case .artifact(let a) = $0 { return a.name == jump.key.artifact }
            return false
        }) else {
            state.status = StatusMessage("artifact \(jump.key.artifact) is gone", .danger)
            return
        }
        var artifacts = state.position(.artifacts)
        if artifacts.cursor != artifactRow || state.selectedArtifactKey != jump.key {
            artifacts.select(artifactRow, count: rows.count, height: height)
            state.positions[.artifacts] = artifacts
            selectionChanged(&state, in: .artifacts)
        }
        var versions = ListPosition()
        versions.select(jump.row, count: jump.row + 1, height: height)
        state.positions[.versions] = versions
        state.focus = .versions
    }
}
