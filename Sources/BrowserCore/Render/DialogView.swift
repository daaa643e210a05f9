/// A centred dialog: a title, lines of text, an optional input, and buttons.
struct DialogContent {
    var title: String
    var lines: [(text: String, role: StyleRole)] = []
    /// One-line inputs, one a row: label, text, whether it has the focus.
    var inputs: [(label: String, text: String, focused: Bool)] = []
    /// Shown under the input in danger style.
    var error: String?
    var buttons: [String] = []
    /// Index of the focused button, if a button has the focus.
    var focus: Int?
    var danger = false
}

enum DialogView {
    static func draw(_ content: DialogContent, into grid: inout ScreenGrid, glyphs: Glyphs) {
        let width = min(grid.width - 2, max(44, min(72, grid.width * 2 / 3)))
        let innerWidth = max(1, width - 4)
        var body: [(String, StyleRole)] = content.lines.flatMap { line in
            DetailPaneView.wrap(line.text, width: innerWidth).map { ($0, line.role) }
        }
        if let error = content.error {
            body += DetailPaneView.wrap(error, width: innerWidth).map { ($0, StyleRole.danger) }
        }
        let inputRows = content.inputs.isEmpty ? 0 : content.inputs.count + 1
        let height = min(grid.height - 2, body.count + inputRows + (content.buttons.isEmpty ? 0 : 2) + 2)
        guard width >= 6, height >= 3 else { return }
        let rect = Rect(x: (grid.width - width) / 2, y: max(1, (grid.height - height) / 2), width: width, height: height)
        grid.fill(x: rect.x, y: rect.y, width: rect.width, height: rect.height, role: .dialog)
        grid.box(rect, title: content.title, glyphs: glyphs, role: content.danger ? .danger : .dialogBorder,
                 titleRole: content.danger ? .danger : .dialogBorder)
        let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: innerWidth, height: rect.height - 2)
        let reserved = inputRows + (content.buttons.isEmpty ? 0 : 2)
        let textRows = max(0, inner.height - reserved)
        // When space is short, dim lines (explanations) give way first, from the last up, so a
        // confirmation still names what goes and what it frees.
        while body.count > textRows, let dim = body.lastIndex(where: { $0.1 == .dim }) { body.remove(at: dim) }
        let errorLines = content.error.map { DetailPaneView.wrap($0, width: innerWidth).count } ?? 0
        // When space is short, keep the first lines and the error, which explains a refusal.
        let shownBody = body.count <= textRows
            ? body
            : Array(body.prefix(max(0, textRows - errorLines))) + Array(body.suffix(min(errorLines, textRows)))
        for (offset, line) in shownBody.prefix(textRows).enumerated() {
            grid.cell(line.0, x: inner.x, y: inner.y + offset, width: inner.width, role: line.1)
        }
        let labelWidth = content.inputs.map { DisplayWidth.width(of: $0.label + " ") }.max() ?? 0
        for (offset, input) in content.inputs.enumerated() {
            let row = inner.y + inner.height - (content.buttons.isEmpty ? 1 : 3) - (content.inputs.count - 1 - offset)
            let label = input.label + " "
            grid.cell(label, x: inner.x, y: row, width: min(labelWidth, inner.width), role: .dialog)
            let fieldWidth = max(0, inner.width - labelWidth)
            // Show the end of a long text, where the typing happens.
            var shown = input.text + (input.focused ? glyphs.cursor : "")
            while DisplayWidth.width(of: shown) > fieldWidth, !shown.isEmpty { shown.removeFirst() }
            grid.cell(shown, x: inner.x + labelWidth, y: row, width: fieldWidth, role: .input)
        }
        if !content.buttons.isEmpty {
            let labels = content.buttons.enumerated().map { $0.offset == content.focus ? "[ \($0.element) ]" : "  \($0.element)  " }
            let total = labels.reduce(0) { $0 + DisplayWidth.width(of: $1) } + 2 * (labels.count - 1)
            var x = inner.x + max(0, inner.width - total)
            let row = inner.y + inner.height - 1
            for (index, label) in labels.enumerated() {
                let focused = index == content.focus
                let role: StyleRole = focused ? .buttonFocus : .dialog
                x += grid.put(label, x: x, y: row, role: role, maxWidth: inner.x + inner.width - x) + 2
            }
        }
    }
}
