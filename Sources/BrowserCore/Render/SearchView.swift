import Foundation

/// `F`: the expression, its error with a caret, and the versions found.
enum SearchView {
    static func draw(_ view: SearchViewState, into grid: inout ScreenGrid, rect: Rect, glyphs: Glyphs, timeZone: TimeZone) {
        grid.box(rect, title: "Find versions", glyphs: glyphs, role: .borderFocus, titleRole: .headerFocus)
        let inner = rect.inset(1)
        guard inner.height >= 3, inner.width >= 1 else { return }
        let label = "where: "
        let labelWidth = min(inner.width, DisplayWidth.width(of: label))
        grid.cell(label, x: inner.x, y: inner.y, width: labelWidth, role: .normal)
        grid.cell(view.field.text + (view.editing ? glyphs.cursor : ""), x: inner.x + labelWidth, y: inner.y,
                  width: max(0, inner.width - labelWidth), role: .input)
        var y = inner.y + 1
        if let error = view.error {
            let caret = String(repeating: " ", count: DisplayWidth.width(of: String(error.expression.prefix(error.offset)))) + "^"
            grid.cell(caret, x: inner.x + labelWidth, y: y, width: max(0, inner.width - labelWidth), role: .danger)
            grid.cell(error.reason, x: inner.x, y: y + 1, width: inner.width, role: .danger)
            return
        }
        if let failure = view.failure {
            grid.cell(failure, x: inner.x, y: y, width: inner.width, role: .danger)
            return
        }
        y += 1
        guard let results = view.results else {
            grid.cell("e.g. val_acc > 0.9 and train.lr <= 1e-3, size > 1GB, tags contains \"best\"; Enter searches",
                      x: inner.x, y: y, width: inner.width, role: .dim)
            return
        }
        let more = results.count >= SearchViewState.limit ? " (the first \(SearchViewState.limit))" : ""
        grid.cell("\(Formatting.count(results.count)) versions match\(more)", x: inner.x, y: y, width: inner.width, role: .title)
        y += 1
        let height = inner.y + inner.height - y
        guard height > 0 else { return }
        var position = view.position
        position.clamp(count: results.count, height: height)
        for (offset, index) in position.visibleRange(count: results.count, height: height).enumerated() {
            let version = results[index]
            let selected = index == position.cursor && !view.editing
            let text = "\(version.qualifiedName)  \(version.type)  \(Formatting.date(version.createdAt, in: timeZone))  "
                + Formatting.bytes(version.size)
            if selected { grid.fill(x: inner.x, y: y + offset, width: inner.width, height: 1, role: .selected) }
            grid.cell(text, x: inner.x, y: y + offset, width: inner.width, role: selected ? .selected : .normal)
        }
    }
}
