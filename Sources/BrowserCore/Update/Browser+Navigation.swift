/// Moving around the panes and lists.
extension Browser {
    /// Moves the focused list's cursor (or scrolls the detail pane) by `delta` rows.
    static func move(_ state: inout BrowserState, by delta: Int) -> [Effect] {
        let layout = ScreenLayout(size: state.size)
        if state.focus == .detail {
            state.detailScroll = max(0, state.detailScroll + delta)
            return []
        }
        let pane = state.focus
        var position = state.position(pane)
        let count = state.rowCount(pane)
        let before = position.cursor
        position.move(by: delta, count: count, height: layout.listHeight)
        if pane == .artifacts {
            position = skipGroups(position, rows: state.artifactRows, direction: delta >= 0 ? 1 : -1,
                                  height: layout.listHeight)
        }
        state.positions[pane] = position
        if position.cursor != before { selectionChanged(&state, in: pane) }
        return []
    }

    /// Moves to the first or last row.
    static func jump(_ state: inout BrowserState, toEnd: Bool) -> [Effect] {
        if state.focus == .detail {
            state.detailScroll = toEnd ? Int.max / 2 : 0
            return []
        }
        let count = state.rowCount(state.focus)
        return move(&state, by: toEnd ? count : -count)
    }

    /// Keeps the artifacts cursor off type headings, looking in `direction` first.
    static func skipGroups(_ position: ListPosition, rows: [ArtifactRow], direction: Int, height: Int) -> ListPosition {
        guard rows.indices.contains(position.cursor), !rows[position.cursor].isSelectable else { return position }
        var result = position
        let forward = rows.indices.dropFirst(position.cursor).first { rows[$0].isSelectable }
        let backward = rows.indices.prefix(position.cursor).last { rows[$0].isSelectable }
        if let row = direction >= 0 ? (forward ?? backward) : (backward ?? forward) {
            result.select(row, count: rows.count, height: height)
        }
        // Show the heading of the first group when the cursor is at its first artifact.
        if result.cursor == 1 { result.top = 0 }
        return result
    }

    /// What depends on a pane's selection starts over when it changes.
    static func selectionChanged(_ state: inout BrowserState, in pane: Pane) {
        switch pane {
        case .projects:
            state.positions[.artifacts] = ListPosition()
            state.filters[.artifacts] = nil
            fallthrough
        case .artifacts:
            state.positions[.versions] = ListPosition()
            cancelFilter(&state, .versions)
            fallthrough
        case .versions:
            state.detailScroll = 0
        case .detail:
            break
        }
        if pane == .projects { clamp(&state, .artifacts) }
    }

    /// Changes focus, refusing panes that have nothing to show yet.
    static func focus(_ state: inout BrowserState, _ pane: Pane) -> [Effect] {
        switch pane {
        case .projects: break
        case .artifacts:
            guard state.selectedProject != nil else { return [] }
        case .versions:
            guard state.selectedArtifact != nil else {
                state.status = StatusMessage("select an artifact first")
                return []
            }
        case .detail:
            guard state.selectedArtifact != nil else {
                state.status = StatusMessage("select a version first")
                return []
            }
        }
        state.focus = pane
        clamp(&state, pane)
        return []
    }

    /// Keeps every cursor valid after a resize or a reload.
    static func clampAll(_ state: inout BrowserState) {
        for pane in [Pane.projects, .artifacts, .versions] { clamp(&state, pane) }
    }

    /// Keeps one pane's cursor valid; lists still loading are left alone.
    static func clamp(_ state: inout BrowserState, _ pane: Pane) {
        let layout = ScreenLayout(size: state.size)
        var position = state.position(pane)
        switch pane {
        case .projects:
            guard state.projects != nil else { return }
        case .artifacts:
            guard let project = state.selectedProject, state.artifacts[project.name] != nil else { return }
        case .versions:
            guard let key = state.selectedArtifactKey, let list = state.versionLists[key] else { return }
            if state.activeNeedle(.versions) != nil ? list.filtered == nil : list.count == nil { return }
        case .detail:
            return
        }
        position.clamp(count: state.rowCount(pane), height: layout.listHeight)
        if pane == .artifacts {
            position = skipGroups(position, rows: state.artifactRows, direction: 1, height: layout.listHeight)
        }
        state.positions[pane] = position
    }

    /// A click focuses the pane under the mouse and selects the row clicked.
    static func click(_ state: inout BrowserState, x: Int, y: Int) -> [Effect] {
        guard let hit = state.paneRects.first(where: { x >= $0.rect.x && x < $0.rect.x + $0.rect.width })
        else { return [] }
        _ = focus(&state, hit.pane)
        guard state.focus == hit.pane, hit.pane != .detail else { return [] }
        let row = state.position(hit.pane).top + (y - hit.rect.y - 2)
        guard row >= state.position(hit.pane).top, row < state.rowCount(hit.pane) else { return [] }
        return move(&state, by: row - state.position(hit.pane).cursor)
    }
}
