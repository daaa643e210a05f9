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
        let width = min(grid.width - 2, 100)
        let height = min(grid.height - 2, all.count + 2)
        guard width >= 10, height >= 3 else { return }
        let rect = Rect(x: (grid.width - width) / 2, y: 1, width: width, height: height)
        grid.fill(x: rect.x, y: rect.y, width: rect.width, height: rect.height, role: .dialog)
        grid.box(rect, title: "Keys (Esc closes)", glyphs: glyphs, role: .dialogBorder, titleRole: .dialogBorder)
        // Two columns when the list is longer than the box and the box is wide enough.
        let rows = height - 2
        let columns = all.count > rows && width >= 80 ? 2 : 1
        let columnWidth = (width - 4) / columns
        for (index, line) in all.enumerated() {
            let column = index / rows
            guard column < columns else { break }
            grid.cell(line.text, x: rect.x + 2 + column * columnWidth, y: rect.y + 1 + index % rows,
                      width: columnWidth - 1, role: line.role)
        }
    }
}
