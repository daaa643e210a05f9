/// `?`: the key table, generated from `KeyMap.bindings`, grouped by context; scrolled when it is
/// taller than the screen, so every binding can be read at 80×24 too.
enum HelpView {
    /// Where the overlay goes on a screen of a size, and how its lines are laid out in it.
    struct Layout {
        /// The box, border included.
        var box: Rect
        /// The lines, wrapped to the width of a column.
        var lines: [(text: String, role: StyleRole)]
        /// Columns of lines side by side; lines fill the first column top to bottom, then the next.
        var columns: Int
        /// Lines in each column.
        var rowsPerColumn: Int
        /// Rows of lines the box shows at once.
        var visibleRows: Int

        /// The largest scroll offset: the last rows of the longest column at the bottom of the box.
        var maxScroll: Int { max(0, rowsPerColumn - visibleRows) }
    }

    /// The key column: a key label longer than this goes on a line of its own.
    static let keyColumnWidth = 12

    /// The help text for columns `width` wide: a context's title, then each binding's keys and what
    /// they do, the description wrapped under itself rather than cut.
    static func lines(width: Int) -> [(text: String, role: StyleRole)] {
        var lines: [(String, StyleRole)] = []
        let indent = String(repeating: " ", count: keyColumnWidth)
        for context in BindingContext.allCases {
            let bindings = KeyMap.bindings.filter { $0.context == context }
            guard !bindings.isEmpty else { continue }
            if !lines.isEmpty { lines.append(("", .dialog)) }
            lines.append((context.rawValue, .title))
            for binding in bindings {
                var text = DetailPaneView.wrap(binding.help, width: max(1, width - keyColumnWidth))
                if DisplayWidth.width(of: binding.keyLabel) < keyColumnWidth {
                    text[0] = DisplayWidth.fit(binding.keyLabel, to: keyColumnWidth) + text[0]
                    text = [text[0]] + text.dropFirst().map { indent + $0 }
                } else {
                    text = [binding.keyLabel] + text.map { indent + $0 }
                }
                lines += text.map { ($0, .dialog) }
            }
        }
        return lines
    }

    /// As few columns (each at least 38 wide) as show every line at once, else as many as fit; rows
    /// beyond the box are reached by scrolling.
    static func layout(for size: TerminalSize) -> Layout? {
        let width = min(size.width - 2, 160)
        let available = size.height - 3  // the header row above the box, the footer row below it
        guard width >= 10, available >= 3 else { return nil }
        let inner = width - 4
        let mostColumns = max(1, inner / 38)
        var columns = 1
        var lines = lines(width: inner - 1)
        while columns < mostColumns, (lines.count + columns - 1) / columns > available - 2 {
            columns += 1
            lines = Self.lines(width: inner / columns - 1)
        }
        let rowsPerColumn = (lines.count + columns - 1) / columns
        let height = min(available, rowsPerColumn + 2)
        let box = Rect(x: (size.width - width) / 2, y: 1, width: width, height: height)
        return Layout(box: box, lines: lines, columns: columns, rowsPerColumn: rowsPerColumn, visibleRows: height - 2)
    }

    static func draw(scroll: Int, into grid: inout ScreenGrid, glyphs: Glyphs) {
        guard let layout = layout(for: TerminalSize(width: grid.width, height: grid.height)) else { return }
        let all = layout.lines
        let rect = layout.box
        let scroll = min(max(0, scroll), layout.maxScroll)
        grid.fill(x: rect.x, y: rect.y, width: rect.width, height: rect.height, role: .dialog)
        grid.box(rect, title: "Keys (Esc closes)", glyphs: glyphs, role: .dialogBorder, titleRole: .dialogBorder)
        let columnWidth = (rect.width - 4) / layout.columns
        for column in 0..<layout.columns {
            for row in 0..<layout.visibleRows {
                let index = column * layout.rowsPerColumn + scroll + row
                guard scroll + row < layout.rowsPerColumn, index < all.count else { break }
                grid.cell(all[index].text, x: rect.x + 2 + column * columnWidth, y: rect.y + 1 + row,
                          width: columnWidth - 1, role: all[index].role)
            }
        }
        guard layout.maxScroll > 0 else { return }
        // Where the view is, and that there is more: `rows 1-20 of 61, j/k scroll`.
        let position = " rows \(scroll + 1)-\(scroll + layout.visibleRows) of \(layout.rowsPerColumn), j/k scroll "
        let width = DisplayWidth.width(of: position)
        if rect.width > width + 4 {
            grid.put(position, x: rect.x + rect.width - 2 - width, y: rect.y + rect.height - 1, role: .dialogBorder)
        }
    }
}
