/// `L`: the lineage graph, layers left to right, each node a box, edges drawn between layers.
enum LineageView {
    static let gap = 6

    static func draw(_ view: LineageViewState, into grid: inout ScreenGrid, rect: Rect, glyphs: Glyphs) {
        grid.box(rect, title: "Lineage of \(view.version.qualifiedName)", glyphs: glyphs, role: .borderFocus, titleRole: .headerFocus)
        let inner = rect.inset(1)
        guard let layout = view.layout else {
            grid.cell("loading…", x: inner.x, y: inner.y, width: inner.width, role: .dim)
            return
        }
        // Each layer is as wide as its longest label, capped so a few layers fit.
        let cap = max(8, min(40, inner.width / max(1, min(layout.layers.count, 3)) - gap))
        let widths = layout.layers.map { column in min(cap, column.map { DisplayWidth.width(of: $0.label) }.max() ?? 4) + 2 }
        var xs: [Int] = []
        var x = 0
        for width in widths {
            xs.append(x)
            x += width + gap
        }
        let rowStep = 2
        // Scroll so the selected node is on screen.
        let selected = view.selected.flatMap(layout.position(of:))
        var scrollX = 0
        var scrollY = 0
        if let selected {
            let nodeRight = xs[selected.layer] + widths[selected.layer]
            if nodeRight > inner.width { scrollX = nodeRight - inner.width }
            let nodeY = selected.row * rowStep
            if nodeY >= inner.height - 1 { scrollY = nodeY - inner.height + 2 }
        }
        var centre: [String: (layer: Int, y: Int)] = [:]
        for (layer, column) in layout.layers.enumerated() {
            for (row, node) in column.enumerated() { centre[node.key] = (layer, row * rowStep) }
        }
        func screen(_ x: Int, _ y: Int) -> (Int, Int) { (inner.x + x - scrollX, inner.y + y - scrollY) }
        func visible(_ x: Int, _ y: Int) -> Bool {
            x >= inner.x && x < inner.x + inner.width && y >= inner.y && y < inner.y + inner.height
        }
        for edge in layout.edges {
            guard let from = centre[edge.from], let to = centre[edge.to] else { continue }
            let (left, right) = from.layer <= to.layer ? (from, to) : (to, from)
            let startX = xs[left.layer] + widths[left.layer]
            let endX = xs[right.layer] - 1
            let midX = startX + gap / 2 - 1
            for column in startX...max(startX, midX) { mark(&grid, screen(column, left.y), glyphs.horizontal, visible) }
            for y in min(left.y, right.y)...max(left.y, right.y) { mark(&grid, screen(midX, y), glyphs.vertical, visible) }
            for column in midX...max(midX, endX) { mark(&grid, screen(column, right.y), glyphs.horizontal, visible) }
            mark(&grid, screen(endX, right.y), from.layer <= to.layer ? glyphs.arrow : "<", visible)
        }
        for (layer, column) in layout.layers.enumerated() {
            for (row, node) in column.enumerated() {
                let (sx, sy) = screen(xs[layer], row * rowStep)
                guard sy >= inner.y, sy < inner.y + inner.height else { continue }
                let isSelected = node.key == view.selected
                let role: StyleRole = isSelected ? .selected : node.isRun ? .nodeRun : .nodeVersion
                let text = (node.key == layout.root ? String(glyphs.bullet) : " ") + DisplayWidth.fit(node.label, to: widths[layer] - 2) + " "
                let clipLeft = max(0, inner.x - sx)
                if clipLeft == 0 {
                    grid.put(text, x: sx, y: sy, role: role, maxWidth: max(0, inner.x + inner.width - sx))
                }
            }
        }
        let hint = "arrows move · Enter jumps to a version · Esc closes"
        grid.cell(hint, x: inner.x, y: inner.y + inner.height - 1, width: inner.width, role: .dim)
    }

    private static func mark(_ grid: inout ScreenGrid, _ point: (Int, Int), _ character: Character,
                             _ visible: (Int, Int) -> Bool) {
        guard visible(point.0, point.1) else { return }
        grid.put(String(character), x: point.0, y: point.1, role: .edge)
    }
}
