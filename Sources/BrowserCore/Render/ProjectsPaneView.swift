import ArtifactStore

/// The projects pane: name, artifacts, versions, size.
enum ProjectsPaneView {
    static let columns = [
        ColumnSpec(title: "PROJECT", width: 10, fitsContent: true),
        ColumnSpec(title: "ARTS", width: 4, alignRight: true, priority: 2),
        ColumnSpec(title: "VERS", width: 7, alignRight: true, priority: 3),
        ColumnSpec(title: "SIZE", width: 9, alignRight: true, priority: 1),
    ]

    /// The texts of a project's row, one per column.
    static func texts(_ project: ProjectSummary) -> [String] {
        [project.name, String(project.artifactCount), Formatting.count(project.versionCount), Formatting.bytes(project.size)]
    }

    /// Column widths for the projects listed, every name whole.
    static func widths(_ state: BrowserState) -> [Int] {
        TableLayout.widths(columns, flexible: 0, rows: state.visibleProjects.map(texts))
    }

    /// Draws the pane; `widths` are its column widths when already measured for this frame.
    static func draw(_ state: BrowserState, into grid: inout ScreenGrid, rect: Rect, focused: Bool, widths: [Int]? = nil) {
        let placed = TableLayout.fit(columns, widths: widths ?? self.widths(state), flexible: 0, width: rect.width, x: rect.x,
                                     wholeFlexible: ScreenLayout(size: state.size).panesFollowContent)
        grid.tableRow(columns.map(\.title), columns: placed, y: rect.y, x: rect.x, width: rect.width, role: .title)
        guard let projects = state.projects else {
            grid.cell("loading…", x: rect.x, y: rect.y + 1, width: rect.width, role: .dim)
            return
        }
        let list = state.visibleProjects
        if list.isEmpty {
            let text = projects.isEmpty ? "no projects yet: log an artifact with `arttui put`" : "no project matches"
            grid.cell(text, x: rect.x, y: rect.y + 1, width: rect.width, role: .dim)
            return
        }
        let position = state.position(.projects)
        let needle = state.activeNeedle(.projects)
        for (line, row) in position.visibleRange(count: list.count, height: rect.height - 1).enumerated() {
            let project = list[row]
            let y = rect.y + 1 + line
            let role: StyleRole = row == position.cursor ? (focused ? .selected : .selectedInactive) : .normal
            grid.tableRow(texts(project), columns: placed, y: y, x: rect.x, width: rect.width, role: role)
            grid.highlight(needle, in: project.name, x: rect.x, y: y, width: placed[0].width, role: .match)
        }
    }
}
