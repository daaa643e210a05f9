import ArtifactStore

/// The versions pane: vN, alias badges, created, logical size, bytes added, producing run.
/// Only the rows on screen are formatted.
enum VersionsPaneView {
    static let columns = [
        ColumnSpec(title: "VER", width: 6),
        ColumnSpec(title: "ALIASES", width: 14, fitsContent: true),
        ColumnSpec(title: "CREATED", width: 16, priority: 3),
        ColumnSpec(title: "SIZE", width: 9, alignRight: true, priority: 1),
        ColumnSpec(title: "ADDED", width: 9, alignRight: true, priority: 2),
        ColumnSpec(title: "RUN", width: 24, priority: 4, fitsContent: true),
    ]

    /// The texts of a version's row, one per column; aliases as their badges read.
    static func texts(_ version: ArtifactVersion, in state: BrowserState) -> [String] {
        // Keep the aliases and run texts as `widths` measures them.
        [version.versionName, version.aliases.map { "[\($0)]" }.joined(separator: " "),
         Formatting.date(version.createdAt, in: state.timeZone), Formatting.bytes(version.size),
         Formatting.addedBytes(version.addedBytes), version.loggedBy ?? "-"]
    }

    /// Column widths for the versions on screen: those of the loaded pages they are on (whole
    /// pages, so the widths do not change with every step of the cursor), or of the filter's
    /// matches on screen.
    static func widths(_ state: BrowserState) -> [Int] {
        guard let key = state.selectedArtifactKey, let list = state.versionLists[key] else { return widths(of: []) }
        let rows = state.position(.versions).visibleRange(count: state.versionRowCount,
                                                          height: ScreenLayout(size: state.size).listHeight)
        guard !rows.isEmpty else { return widths(of: []) }
        if state.activeNeedle(.versions) != nil { return widths(of: Array(list.filtered?[rows] ?? [])) }
        let pages = (rows.lowerBound / VersionList.pageSize)...((rows.upperBound - 1) / VersionList.pageSize)
        return pages.compactMap { list.pageWidths[$0] }.reduce(widths(of: [])) { zip($0, $1).map { max($0, $1) } }
    }

    /// Column widths some versions need. Only the columns that fit their content are measured;
    /// dates and sizes have a fixed width and are not formatted for this.
    static func widths(of versions: [ArtifactVersion]) -> [Int] {
        let rows = versions.map { version in
            ["", version.aliases.map { "[\($0)]" }.joined(separator: " "), "", "", "", version.loggedBy ?? "-"]
        }
        return TableLayout.widths(columns, flexible: 1, rows: rows)
    }

    /// Draws the pane; `widths` are its column widths when already measured for this frame.
    static func draw(_ state: BrowserState, into grid: inout ScreenGrid, rect: Rect, focused: Bool, widths: [Int]? = nil) {
        let placed = TableLayout.fit(columns, widths: widths ?? self.widths(state), flexible: 1, width: rect.width, x: rect.x)
        grid.tableRow(columns.map(\.title), columns: placed, y: rect.y, x: rect.x, width: rect.width, role: .title)
        guard let key = state.selectedArtifactKey else {
            grid.cell("no artifact selected", x: rect.x, y: rect.y + 1, width: rect.width, role: .dim)
            return
        }
        let list = state.versionLists[key]
        let filtering = state.activeNeedle(.versions) != nil
        if list?.count == nil || (filtering && list?.filtered == nil) {
            grid.cell(filtering ? "filtering…" : "loading…", x: rect.x, y: rect.y + 1, width: rect.width, role: .dim)
            return
        }
        let count = state.versionRowCount
        if count == 0 {
            let text = state.storeUnreachable ? BrowserRenderer.unreachableHint(state) : filtering ? "no version matches" : "no versions"
            grid.cell(text, x: rect.x, y: rect.y + 1, width: rect.width, role: state.storeUnreachable ? .danger : .dim)
            return
        }
        let position = state.position(.versions)
        for (line, row) in position.visibleRange(count: count, height: rect.height - 1).enumerated() {
            let y = rect.y + 1 + line
            let role: StyleRole = row == position.cursor ? (focused ? .selected : .selectedInactive) : .normal
            guard let version = state.version(atRow: row) else {
                grid.tableRow(["…", "loading", "", "", "", ""], columns: placed, y: y, x: rect.x, width: rect.width,
                              role: role == .normal ? .dim : role)
                continue
            }
            var row = texts(version, in: state)
            row[1] = ""  // drawn as badges below
            grid.tableRow(row, columns: placed, y: y, x: rect.x, width: rect.width, role: role)
            if let aliases = placed.first(where: { $0.spec.title == "ALIASES" }) {
                badges(version.aliases, into: &grid, x: aliases.x, y: y, width: aliases.width)
            }
        }
    }

    /// Draws aliases as `[best]` badges, `latest` in its own style; cut with `…` when they do not fit.
    static func badges(_ aliases: [String], into grid: inout ScreenGrid, x: Int, y: Int, width: Int) {
        var column = x
        for (offset, alias) in aliases.enumerated() {
            let text = "[" + alias + "]"
            let left = x + width - column
            let isLast = offset == aliases.count - 1
            let textWidth = DisplayWidth.width(of: text)
            if textWidth > left || (!isLast && textWidth + 2 > left) {
                if left > 0 { grid.put(DisplayWidth.truncate(text, to: left), x: column, y: y, role: .badge, maxWidth: left) }
                return
            }
            column += grid.put(text, x: column, y: y, role: alias == Alias.latest ? .badgeLatest : .badge) + 1
        }
    }
}
