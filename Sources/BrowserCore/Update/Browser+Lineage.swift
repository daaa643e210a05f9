import ArtifactStore
import LineageLayout

/// The lineage view: arrows move along edges (← to an input, → to an output, ↑/↓ within a layer),
/// Enter jumps to a version, shows a run or expands `+N more`, `+`/`-` change the depth, HJKL pan.
extension Browser {
    static let lineageMaximumDepth = 50

    /// Opens the view on a version and loads its lineage.
    static func openLineage(_ state: inout BrowserState, _ version: ArtifactVersion) -> [Effect] {
        let view = LineageViewState(version: version)
        state.modal = .lineage(view)
        let ticket = begin(&state, "loading lineage", cancellable: true)
        return [.loadLineage(ticket: ticket, version: version, depth: view.depth)]
    }

    /// A graph arrived: draw it, keep the selection if it is still there, else select the root.
    static func lineageLoaded(_ state: inout BrowserState, _ view: LineageViewState, _ graph: LineageGraph) {
        var view = view
        view.graph = graph
        view.expanded = [:]
        redraw(&view, state)
        if view.selected.flatMap({ view.diagram?.position(of: $0) }) == nil { view.selected = graph.root }
        follow(&view, state)
        state.modal = .lineage(view)
    }

    /// Where the picture goes: the view's box less its border and the selection line.
    static func lineageViewport(_ state: BrowserState) -> (width: Int, height: Int) {
        let body = ScreenLayout(size: state.size).body
        return (max(1, body.width - 2), max(1, body.height - 3))
    }

    private static func redraw(_ view: inout LineageViewState, _ state: BrowserState) {
        guard let graph = view.graph else { return }
        // A fan-out taller than the screen folds into `+N more` (never below 5 shown).
        let limit = max(5, lineageViewport(state).height - 2)
        view.diagram = LineageDiagram(graph: graph, unicode: state.unicode,
                                      folding: LineageFolding(limit: limit, expanded: view.expanded),
                                      keep: Set([view.selected, view.cameFrom].compactMap { $0 }))
    }

    static func lineageKey(_ state: inout BrowserState, _ view: LineageViewState, _ key: Key) -> [Effect] {
        var view = view
        guard let action = KeyMap.action(for: key, in: .lineage) else { return [] }
        if view.run != nil {
            // The run is shown over the graph: Esc goes back to the graph, arrows scroll.
            switch action {
            case .cancel, .quit: view.run = nil
            case .moveUp, .panUp: view.runScroll = max(0, view.runScroll - 1)
            case .moveDown, .panDown: view.runScroll += 1
            default: return []
            }
            state.modal = .lineage(view)
            return []
        }
        if action == .cancel || action == .quit { return closeDialog(&state) }
        switch action {
        case .deeper, .shallower:
            let depth = min(lineageMaximumDepth, max(1, view.depth + (action == .deeper ? 1 : -1)))
            guard depth != view.depth else {
                state.status = StatusMessage(depth == 1 ? "depth is 1 already" : "depth is \(depth) at most")
                return []
            }
            view.depth = depth
            state.modal = .lineage(view)
            let ticket = begin(&state, "loading lineage, depth \(depth)", cancellable: true)
            return [.loadLineage(ticket: ticket, version: view.version, depth: depth)]
        case .panLeft, .panRight, .panUp, .panDown:
            pan(&view, action, state)
            state.modal = .lineage(view)
            return []
        default:
            break
        }
        guard let diagram = view.diagram, let selected = view.selected,
            let (layer, row) = diagram.position(of: selected)
        else { return [] }
        switch action {
        case .moveUp, .moveDown:
            let column = diagram.layers[layer]
            view.selected = column[min(max(0, row + (action == .moveUp ? -1 : 1)), column.count - 1)]
            view.cameFrom = nil
        case .previousPane, .nextPane:
            let outputs = action == .nextPane
            let around = diagram.neighbours(of: selected, outputs: outputs)
            guard !around.isEmpty else {
                state.status = StatusMessage(outputs ? "nothing was made from this" : "nothing went into this")
                return []
            }
            // Back to where the last opposite move came from, else the neighbour on the nearest row.
            let myRow = diagram.drawing.box(selected)?.row ?? 0
            let next = view.cameFrom.flatMap { around.contains($0) ? $0 : nil }
                ?? around.min { abs((diagram.drawing.box($0)?.row ?? 0) - myRow) < abs((diagram.drawing.box($1)?.row ?? 0) - myRow) }!
            view.cameFrom = selected
            view.selected = next
        case .open:
            return openNode(&state, &view, selected, diagram)
        default:
            return []
        }
        follow(&view, state)
        state.modal = .lineage(view)
        return []
    }

    private static func openNode(_ state: inout BrowserState, _ view: inout LineageViewState, _ selected: String,
                                 _ diagram: LineageDiagram) -> [Effect] {
        if diagram.node(selected)?.isSummary == true {
            view.expanded[selected, default: 0] += 1
            let row = diagram.drawing.box(selected)?.row ?? 0
            let screenRow = row - view.scrollY
            redraw(&view, state)
            if view.diagram?.position(of: selected) == nil, let drawn = view.diagram, let layer = diagram.position(of: selected)?.layer,
                layer < drawn.layers.count {
                // The summary is gone (all shown): select what now sits on its row.
                view.selected = drawn.layers[layer].min { abs((drawn.drawing.box($0)?.row ?? 0) - row) < abs((drawn.drawing.box($1)?.row ?? 0) - row) }
            }
            // The selection stays on the same screen row.
            if let now = view.selected.flatMap({ view.diagram?.drawing.box($0) }) { view.scrollY = max(0, now.row - screenRow) }
            follow(&view, state)
            state.modal = .lineage(view)
            return []
        }
        if case .run(let id, _, _, _)? = diagram.graphNode(selected) {
            state.modal = .lineage(view)
            let ticket = begin(&state, "loading run \(id)", cancellable: true)
            return [.loadRun(ticket: ticket, id: id)]
        }
        guard let target = diagram.target(of: selected) else {
            state.status = StatusMessage("that version is deleted")
            return []
        }
        state.modal = nil
        let ticket = begin(&state, "finding \(target.artifact):v\(target.index)", cancellable: true)
        return [.locateVersion(ticket: ticket, key: ArtifactKey(project: target.project, artifact: target.artifact),
                               index: target.index)]
    }

    /// Scrolls as little as possible to keep the selection two rows from the top and bottom edges
    /// and whole on screen sideways, snapping to the column a layer starts at.
    static func follow(_ view: inout LineageViewState, _ state: BrowserState) {
        guard let diagram = view.diagram, let box = view.selected.flatMap({ diagram.drawing.box($0) }) else { return }
        let (width, height) = lineageViewport(state)
        let margin = min(2, max(0, (height - 1) / 2))
        if box.row < view.scrollY + margin { view.scrollY = max(0, box.row - margin) }
        if box.row > view.scrollY + height - 1 - margin { view.scrollY = box.row - (height - 1 - margin) }
        let columns = diagram.drawing.layerColumns
        let right = box.column + box.width
        if box.column < view.scrollX {
            // One layer of context to the left when it fits.
            let before = box.layer > 0 ? columns[box.layer - 1] : 0
            view.scrollX = right - before <= width ? before : box.column
        } else if right > view.scrollX + width {
            view.scrollX = columns.first { $0 <= box.column && right - $0 <= width } ?? box.column
        }
        view.scrollX = max(0, min(view.scrollX, max(0, diagram.drawing.width - 1)))
    }

    private static func pan(_ view: inout LineageViewState, _ action: Action, _ state: BrowserState) {
        guard let drawing = view.diagram?.drawing else { return }
        let height = lineageViewport(state).height
        switch action {
        case .panLeft:
            view.scrollX = drawing.layerColumns.last { $0 < view.scrollX } ?? 0
        case .panRight:
            // Snaps to the next layer's column, as long as something is left to see.
            view.scrollX = drawing.layerColumns.first { $0 > view.scrollX } ?? view.scrollX
        case .panUp:
            view.scrollY = max(0, view.scrollY - max(1, height / 2))
        case .panDown:
            view.scrollY = max(0, min(view.scrollY + max(1, height / 2), drawing.height - height))
        default:
            break
        }
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
