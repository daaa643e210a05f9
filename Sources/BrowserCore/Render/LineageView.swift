import LineageLayout

/// `L`: the lineage picture `arttui lineage` prints (`LineageDrawing`), scrolled to the selection;
/// on top only the selected node in reverse and the edges touching it in their own style.
enum LineageView {
    static func draw(_ view: LineageViewState, into grid: inout ScreenGrid, rect: Rect, glyphs: Glyphs) {
        let title = "Lineage of \(view.version.qualifiedName) · depth \(view.depth) up and down"
        grid.box(rect, title: title, glyphs: glyphs, role: .borderFocus, titleRole: .headerFocus)
        let inner = rect.inset(1)
        guard inner.width > 0, inner.height > 0 else { return }
        if let run = view.run {
            LineageRunView.draw(run, scroll: view.runScroll, into: &grid, rect: inner)
            return
        }
        guard let diagram = view.diagram else {
            grid.cell("loading…", x: inner.x, y: inner.y, width: inner.width, role: .dim)
            return
        }
        let area = Rect(x: inner.x, y: inner.y, width: inner.width, height: max(0, inner.height - 1))
        let drawing = diagram.drawing
        let (left, top) = (view.scrollX, view.scrollY)
        func onScreen(_ x: Int, _ y: Int) -> Bool {
            x >= left && x < left + area.width && y >= top && y < top + area.height
        }
        // Only the screenful is painted. Lines first, then labels with their roles, then the
        // selection on top.
        let window = drawing.window(x: left, y: top, width: area.width, height: area.height)
        for y in top..<min(drawing.height, top + area.height) {
            for x in left..<min(drawing.width, left + area.width) where !window.isText(x: x, y: y) {
                guard let character = window.character(x: x, y: y), character != " " else { continue }
                grid.put(String(character), x: area.x + x - left, y: area.y + y - top, role: .edge)
            }
        }
        for box in drawing.boxes(rows: top..<(top + area.height)) where box.row >= top && box.row < top + area.height
            && box.column < left + area.width && box.column + box.width > left {
            let node = drawing.layout.nodes[box.node]
            let role: StyleRole
            if node.key == view.selected {
                role = .selected
            } else {
                switch node.kind {
                case .run: role = .nodeRun
                case .version: role = .nodeVersion
                case .summary: role = .dim
                }
            }
            putClipped(box.label, column: box.column, row: box.row, role: role, left: left, top: top, area: area, into: &grid)
        }
        if let selected = view.selected {
            for edge in diagram.edges(of: selected) {
                for cell in drawing.path(ofEdge: edge) where onScreen(cell.x, cell.y) {
                    let onTop = cell.horizontal && window.isCrossing(x: cell.x, y: cell.y)
                    guard let character = window.character(x: cell.x, y: cell.y, horizontalOnTop: onTop) else { continue }
                    grid.put(String(character), x: area.x + cell.x - left, y: area.y + cell.y - top, role: .edgeFocus)
                }
            }
        }
        grid.cell(selectionLine(view, diagram), x: inner.x, y: inner.y + inner.height - 1, width: inner.width, role: .dim)
    }

    /// A label from drawing column `column`, cut at the visible area's edges (a wide character cut
    /// by the left edge is left out).
    private static func putClipped(_ text: String, column: Int, row: Int, role: StyleRole, left: Int, top: Int,
                                   area: Rect, into grid: inout ScreenGrid) {
        var x = column
        var visible = ""
        var start: Int?
        for character in text {
            let width = DisplayWidth.width(of: DisplayWidth.normalize(character))
            if x >= left {
                if start == nil { start = x }
                visible.append(character)
            }
            x += width
        }
        guard let start else { return }
        grid.put(visible, x: area.x + start - left, y: area.y + row - top, role: role,
                 maxWidth: max(0, area.x + area.width - (area.x + start - left)))
    }

    /// The last line: the selected node in full, its neighbours, where Enter goes.
    static func selectionLine(_ view: LineageViewState, _ diagram: LineageDiagram) -> String {
        guard let key = view.selected, let node = diagram.node(key) else { return "" }
        let inputs = diagram.neighbours(of: key, outputs: false).count
        let outputs = diagram.neighbours(of: key, outputs: true).count
        let counts = "\(count(inputs, "input")) · \(count(outputs, "output"))"
        switch diagram.graphNode(key) {
        case let .run(id, name, jobType, state)?:
            let job = jobType.isEmpty ? "" : " · \(jobType)"
            return "run \(name) (\(id))\(job) · \(state) · \(counts) · Enter shows the run"
        case let .version(project, name, type, index, _, deleted)?:
            let enter = deleted ? "deleted" : "Enter jumps to it"
            return "\(project)/\(name):v\(index) · \(type) · \(counts) · \(enter)"
        case nil:
            return "\(node.label) · Enter shows more"
        }
    }

    private static func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }
}
