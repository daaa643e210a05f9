/// `D`: the changes from one version to another, files coloured by kind; a file's patch over the list.
enum DiffView {
    static func draw(_ view: DiffViewState, into grid: inout ScreenGrid, rect: Rect, glyphs: Glyphs) {
        let title = view.patch.map { "Patch · \($0.path)" }
            ?? "Diff · \(view.base?.versionName ?? "…") → \(view.target.qualifiedName)"
        grid.box(rect, title: title, glyphs: glyphs, role: .borderFocus, titleRole: .headerFocus)
        let inner = rect.inset(1)
        guard inner.height >= 1, inner.width >= 1 else { return }
        if let patch = view.patch {
            guard let lines = patch.lines else {
                grid.cell("making the patch…", x: inner.x, y: inner.y, width: inner.width, role: .dim)
                return
            }
            for (offset, line) in lines.dropFirst(patch.scroll).prefix(inner.height).enumerated() {
                grid.cell(line, x: inner.x, y: inner.y + offset, width: inner.width, role: role(ofPatchLine: line))
            }
            return
        }
        guard view.diff != nil else {
            grid.cell("comparing…", x: inner.x, y: inner.y, width: inner.width, role: .dim)
            return
        }
        var position = view.position
        position.clamp(count: view.rowCount, height: inner.height)
        for (offset, index) in position.visibleRange(count: view.rowCount, height: inner.height).enumerated() {
            let row = view.row(index)
            let selected = index == position.cursor && view.change(at: index) != nil
            if selected { grid.fill(x: inner.x, y: inner.y + offset, width: inner.width, height: 1, role: .selected) }
            grid.cell(row.text, x: inner.x, y: inner.y + offset, width: inner.width, role: selected ? .selected : row.role)
        }
    }

    /// `+` lines green, `-` red, hunk headers as titles, the rest plain.
    static func role(ofPatchLine line: String) -> StyleRole {
        if line.hasPrefix("+++") || line.hasPrefix("---") { return .title }
        if line.hasPrefix("@@") { return .match }
        if line.hasPrefix("+") { return .success }
        if line.hasPrefix("-") { return .danger }
        return .normal
    }
}
