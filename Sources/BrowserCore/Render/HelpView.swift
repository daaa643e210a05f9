/// `?`: the key table, generated from `KeyMap.bindings`, grouped by context.
enum HelpView {
    /// The help text, one entry a line.
    static func lines() -> [(text: String, role: StyleRole)] {
        var lines: [(String, StyleRole)] = []
        for context in BindingContext.allCases {
            let bindings = KeyMap.bindings.filter { $0.context == context }
            guard !bindings.isEmpty else { continue }
            if !lines.isEmpty { lines.append(("", .dialog)) }
            lines.append((context.rawValue, .title))
            for binding in bindings {
                lines.append((DisplayWidth.fit(binding.keyLabel, to: 12) + binding.help, .dialog))
            }
        }
        return lines
    }

    static func draw(into grid: inout ScreenGrid, glyphs: Glyphs) {
        let all = lines()
        let width = min(grid.width - 2, 160)
        let height = min(grid.height - 2, all.count + 2)
        guard width >= 10, height >= 3 else { return }
        let rect = Rect(x: (grid.width - width) / 2, y: 1, width: width, height: height)
        grid.fill(x: rect.x, y: rect.y, width: rect.width, height: rect.height, role: .dialog)
        grid.box(rect, title: "Keys (Esc closes)", glyphs: glyphs, role: .dialogBorder, titleRole: .dialogBorder)
        // As many columns of at least 38 characters as the list needs and the box has room for.
        let rows = height - 2
        let columns = max(1, min((all.count + rows - 1) / max(1, rows), (width - 4) / 38))
        let columnWidth = (width - 4) / columns
        for (index, line) in all.enumerated() {
            let column = index / rows
            guard column < columns else { break }
            grid.cell(line.text, x: rect.x + 2 + column * columnWidth, y: rect.y + 1 + index % rows,
                      width: columnWidth - 1, role: line.role)
        }
    }
}
