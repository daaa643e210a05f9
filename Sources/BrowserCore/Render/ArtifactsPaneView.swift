/// The artifacts pane: artifacts grouped under their type, with version count and size.
enum ArtifactsPaneView {
    static let columns = [
        ColumnSpec(title: "ARTIFACT", width: 10, fitsContent: true),
        ColumnSpec(title: "VERS", width: 7, alignRight: true, priority: 2),
        ColumnSpec(title: "SIZE", width: 9, alignRight: true, priority: 1),
    ]

    /// The texts of a row: a type heading spans the first column, an artifact fills every column.
    static func texts(_ row: ArtifactRow) -> [String] {
        switch row {
        case let .group(type, count): return ["\(type) (\(count))"]
        case let .artifact(artifact):
            return ["  " + artifact.name, Formatting.count(artifact.versionCount), Formatting.bytes(artifact.storedBytes)]
        }
    }

    /// Column widths for the artifacts listed, every name whole.
    static func widths(_ state: BrowserState) -> [Int] {
        TableLayout.widths(columns, flexible: 0, rows: state.artifactRows.map(texts))
    }

    /// Draws the pane; `widths` are its column widths when already measured for this frame.
    static func draw(_ state: BrowserState, into grid: inout ScreenGrid, rect: Rect, focused: Bool, widths: [Int]? = nil) {
        let placed = TableLayout.fit(columns, widths: widths ?? self.widths(state), flexible: 0, width: rect.width, x: rect.x,
                                     wholeFlexible: ScreenLayout(size: state.size).panesFollowContent)
        grid.tableRow(columns.map(\.title), columns: placed, y: rect.y, x: rect.x, width: rect.width, role: .title)
        guard let project = state.selectedProject else {
            grid.cell("no project selected", x: rect.x, y: rect.y + 1, width: rect.width, role: .dim)
            return
        }
        guard state.artifacts[project.name] != nil else {
            grid.cell("loading…", x: rect.x, y: rect.y + 1, width: rect.width, role: .dim)
            return
        }
        let rows = state.artifactRows
        if rows.isEmpty {
            let text = state.storeUnreachable ? BrowserRenderer.unreachableHint(state)
                : state.activeNeedle(.artifacts) == nil ? "no artifacts in \(project.name)" : "no artifact matches"
            grid.cell(text, x: rect.x, y: rect.y + 1, width: rect.width, role: state.storeUnreachable ? .danger : .dim)
            return
        }
        let position = state.position(.artifacts)
        let needle = state.activeNeedle(.artifacts)
        for (line, row) in position.visibleRange(count: rows.count, height: rect.height - 1).enumerated() {
            let y = rect.y + 1 + line
            switch rows[row] {
            case .group:
                grid.cell(texts(rows[row])[0], x: rect.x, y: y, width: rect.width, role: .group)
            case .artifact(let artifact):
                let role: StyleRole = row == position.cursor ? (focused ? .selected : .selectedInactive) : .normal
                grid.tableRow(texts(rows[row]), columns: placed, y: y, x: rect.x, width: rect.width, role: role)
                grid.highlight(needle, in: "  " + artifact.name, x: rect.x, y: y, width: placed[0].width, role: .match)
            }
        }
    }
}
