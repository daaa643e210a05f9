/// `C`: cache totals, sizes per artifact, and the cleanup input.
enum CacheView {
    static func draw(_ view: CacheViewState, into grid: inout ScreenGrid, rect: Rect, glyphs: Glyphs) {
        grid.box(rect, title: "Cache", glyphs: glyphs, role: .borderFocus, titleRole: .headerFocus)
        let inner = rect.inset(1)
        guard inner.height >= 3 else { return }
        var y = inner.y
        if let summary = view.summary {
            grid.cell("total \(Formatting.bytes(summary.totalBytes)) in \(Formatting.counted(summary.fileCount, "file"))",
                      x: inner.x, y: y, width: inner.width, role: .title)
        } else {
            grid.cell("measuring…", x: inner.x, y: y, width: inner.width, role: .dim)
        }
        y += 1
        if let done = view.lastCleanup {
            grid.cell("freed \(Formatting.bytes(done.freedBytes)) (\(Formatting.counted(done.removedFiles, "file"))); "
                      + "cache now \(Formatting.bytes(done.remainingBytes))",
                      x: inner.x, y: y, width: inner.width, role: .success)
            y += 1
        }
        let footerRows = 3
        let columns = [
            ColumnSpec(title: "PROJECT/ARTIFACT", width: 12),
            ColumnSpec(title: "FILES", width: 7, alignRight: true, priority: 2),
            ColumnSpec(title: "SIZE", width: 9, alignRight: true, priority: 1),
        ]
        let placed = TableLayout.fit(columns, flexible: 0, width: inner.width, x: inner.x)
        if let entries = view.summary?.entries, inner.y + inner.height - footerRows > y {
            grid.tableRow(columns.map(\.title), columns: placed, y: y, x: inner.x, width: inner.width, role: .title)
            y += 1
            let rows = inner.y + inner.height - footerRows - y
            for entry in entries.dropFirst(view.scroll).prefix(max(0, rows)) {
                grid.tableRow(["\(entry.project)/\(entry.artifact)", Formatting.count(entry.fileCount), Formatting.bytes(entry.bytes)],
                              columns: placed, y: y, x: inner.x, width: inner.width, role: .normal)
                y += 1
            }
            if entries.isEmpty {
                grid.cell("the cache is empty", x: inner.x, y: y, width: inner.width, role: .dim)
            }
        }
        let inputY = inner.y + inner.height - 3
        let label = "clean up to at most: "
        let labelWidth = min(inner.width, DisplayWidth.width(of: label))
        grid.cell(label, x: inner.x, y: inputY, width: labelWidth, role: .normal)
        grid.cell(view.target.text + glyphs.cursor, x: inner.x + labelWidth, y: inputY,
                  width: max(0, min(20, inner.width - labelWidth)), role: .input)
        if let error = view.error {
            grid.cell(error, x: inner.x, y: inputY + 1, width: inner.width, role: .danger)
        }
        grid.cell("type a size (500MB, 2GiB, 0), Enter cleans up, Esc closes", x: inner.x,
                  y: inner.y + inner.height - 1, width: inner.width, role: .dim)
    }
}
