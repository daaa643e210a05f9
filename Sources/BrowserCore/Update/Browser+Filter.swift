/// `/` filtering: as you type, Enter keeps the filter, Esc clears it, n/N step through matches.
extension Browser {
    static func startFilter(_ state: inout BrowserState) -> [Effect] {
        guard state.focus != .detail else {
            state.status = StatusMessage("the detail pane has nothing to filter")
            return []
        }
        var filter = state.filters[state.focus] ?? FilterState()
        filter.editing = true
        state.filters[state.focus] = filter
        return []
    }

    /// Keys while the filter is being typed.
    static func editFilter(_ state: inout BrowserState, _ key: Key) -> [Effect] {
        let pane = state.focus
        guard var filter = state.filters[pane] else { return [] }
        switch key {
        case .escape:
            return cancelFilter(&state, pane)
        case .enter:
            filter.editing = false
            state.filters[pane] = filter
            if filter.needle.isEmpty { state.filters[pane] = nil }
            return []
        case .up, .down, .pageUp, .pageDown:
            // Moving through the matches without leaving the query.
            filter.editing = false
            state.filters[pane] = filter
            let effects = handleKey(&state, key)
            state.filters[pane]?.editing = true
            return effects
        default:
            guard filter.query.edit(key) else { return [] }
            state.filters[pane] = filter
            return refilter(&state, pane)
        }
    }

    /// Applies a changed query: lists in memory filter at once, versions are scanned by the worker.
    static func refilter(_ state: inout BrowserState, _ pane: Pane) -> [Effect] {
        var effects: [Effect] = []
        if pane == .versions, let key = state.selectedArtifactKey {
            if let old = state.filters[pane]?.scanTicket {
                state.busy[old] = nil
                effects.append(.cancel(ticket: old))
            }
            state.versionLists[key, default: VersionList()].filtered = nil
            let needle = state.filters[pane]?.needle ?? ""
            if !needle.isEmpty {
                let ticket = begin(&state, "filtering versions", cancellable: true)
                state.filters[pane]?.scanTicket = ticket
                effects.append(.filterVersions(ticket: ticket, key: key, needle: needle))
            }
        }
        var position = state.position(pane)
        position.cursor = 0
        position.top = 0
        state.positions[pane] = position
        clamp(&state, pane)
        selectionChanged(&state, in: pane)
        return effects
    }

    /// Removes a pane's filter (and stops its scan).
    @discardableResult
    static func cancelFilter(_ state: inout BrowserState, _ pane: Pane) -> [Effect] {
        guard let filter = state.filters.removeValue(forKey: pane) else { return [] }
        var effects: [Effect] = []
        if let ticket = filter.scanTicket, state.busy.removeValue(forKey: ticket) != nil {
            effects.append(.cancel(ticket: ticket))
        }
        if pane == .versions, let key = state.selectedArtifactKey {
            state.versionLists[key]?.filtered = nil
        }
        clamp(&state, pane)
        return effects
    }

    /// n/N: the next or previous match, wrapping around.
    static func nextMatch(_ state: inout BrowserState, forward: Bool) -> [Effect] {
        guard state.activeNeedle(state.focus) != nil else {
            state.status = StatusMessage("no filter here: press / to filter")
            return []
        }
        let rows = state.rowCount(state.focus)
        guard rows > 0 else {
            state.status = StatusMessage("no matches")
            return []
        }
        let cursor = state.position(state.focus).cursor
        var target = (cursor + (forward ? 1 : rows - 1)) % rows
        if state.focus == .artifacts {
            let list = state.artifactRows
            while !list[target].isSelectable {
                target = (target + (forward ? 1 : list.count - 1)) % list.count
            }
        }
        return move(&state, by: target - cursor)
    }
}
