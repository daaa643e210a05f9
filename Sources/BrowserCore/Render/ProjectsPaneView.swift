import ArtifactStore

/// The projects pane: name, artifacts, versions, size; on a team server also each project's
/// visibility as a badge.
enum ProjectsPaneView {
    static let columns = [
        ColumnSpec(title: "PROJECT", width: 10, fitsContent: true),
        ColumnSpec(title: "ARTS", width: 4, alignRight: true, priority: 2),
        ColumnSpec(title: "VERS", width: 7, alignRight: true, priority: 3),
        ColumnSpec(title: "SIZE", width: 9, alignRight: true, priority: 1),
    ]

    /// The columns on a server: the visibility badge right after the name, dropped last.
    static let serverColumns = [
        columns[0], ColumnSpec(title: "VISIBILITY", width: 10), columns[1], columns[2], columns[3],
    ]

    /// The columns for the projects listed: a local store's projects have no visibility, so
    /// they get no badge column at all.
    static func columns(_ state: BrowserState) -> [ColumnSpec] {
        state.projects?.contains { $0.visibility != nil } == true ? serverColumns : columns
    }

    /// The texts of a project's row, one per column of `columns(_:)`.
    static func texts(_ project: ProjectSummary, badge: Bool) -> [String] {
        [project.name] + (badge ? [badgeText(project)] : [])
            + [String(project.artifactCount), Formatting.count(project.versionCount), Formatting.bytes(project.size)]
    }

    /// `[public]`; empty for a project without visibility.
    static func badgeText(_ project: ProjectSummary) -> String {
        project.visibility.map { "[\($0)]" } ?? ""
    }

    /// Column widths for the projects listed, every name whole.
    static func widths(_ state: BrowserState) -> [Int] {
        let specs = columns(state)
        return TableLayout.widths(specs, flexible: 0, rows: state.visibleProjects.map { texts($0, badge: specs.count > columns.count) })
    }

    /// Draws the pane; `widths` are its column widths when already measured for this frame.
    static func draw(_ state: BrowserState, into grid: inout ScreenGrid, rect: Rect, focused: Bool, widths: [Int]? = nil) {
        let specs = columns(state)
        let badge = specs.count > columns.count
        let placed = TableLayout.fit(specs, widths: widths ?? self.widths(state), flexible: 0, width: rect.width, x: rect.x,
                                     wholeFlexible: ScreenLayout(size: state.size).panesFollowContent)
        grid.tableRow(specs.map(\.title), columns: placed, y: rect.y, x: rect.x, width: rect.width, role: .title)
        guard let projects = state.projects else {
            grid.cell("loading…", x: rect.x, y: rect.y + 1, width: rect.width, role: .dim)
            return
        }
        let list = state.visibleProjects
        if list.isEmpty {
            let text = state.storeUnreachable ? BrowserRenderer.unreachableHint(state)
                : projects.isEmpty ? "no projects yet: log an artifact with `arttui put`" : "no project matches"
            grid.cell(text, x: rect.x, y: rect.y + 1, width: rect.width, role: state.storeUnreachable ? .danger : .dim)
            return
        }
        let position = state.position(.projects)
        let needle = state.activeNeedle(.projects)
        let badgeColumn = placed.first { $0.spec.title == "VISIBILITY" }
        for (line, row) in position.visibleRange(count: list.count, height: rect.height - 1).enumerated() {
            let project = list[row]
            let y = rect.y + 1 + line
            let role: StyleRole = row == position.cursor ? (focused ? .selected : .selectedInactive) : .normal
            var cells = texts(project, badge: badge)
            if badge { cells[1] = "" }  // drawn as a badge below
            grid.tableRow(cells, columns: placed, y: y, x: rect.x, width: rect.width, role: role)
            grid.highlight(needle, in: project.name, x: rect.x, y: y, width: placed[0].width, role: .match)
            if let badgeColumn, project.visibility != nil {
                grid.put(badgeText(project), x: badgeColumn.x, y: y, role: .badge, maxWidth: badgeColumn.width)
            }
        }
    }
}
