/// A lineage graph drawn into cells: the one picture both `arttui lineage` and the browser's `L`
/// view show. The browser adds only selection highlighting and scrolling on top.
///
/// From a `LineageLayout` (layers and order) it places every slot on rows — a node is aligned with
/// its topmost input when that crosses no earlier alignment (Brandes–Köpf, one direction), blocks
/// are then packed top-down — and routes each channel between two layers: every structure
/// (`LineageStructure`) whose ends are not on one row gets its own vertical track, tracks ordered so
/// that a line leaving a node never runs along a line entering another. A node fed by several
/// structures gets one entry port (arrowhead) per structure and a bracket. Two structures meet only
/// at right angles, drawn as a crossing that connects nothing, so following a line from a node
/// reaches exactly its successors.
public struct LineageDrawing: Hashable, Sendable {
    /// Where a node is drawn.
    public struct Box: Hashable, Sendable {
        /// The node's index in `layout.nodes`.
        public var node: Int
        /// Its layer (column of the layout).
        public var layer: Int
        /// The row of its label.
        public var row: Int
        /// Rows it spans: one per entry port, at least one.
        public var height: Int
        /// The column its label starts at.
        public var column: Int
        /// The label as drawn (cut to `LineageDrawing.labelCap` columns).
        public var label: String
        /// Columns the label takes.
        public var width: Int
    }

    /// One cell of an edge's path; `horizontal` says how the edge passes it, which decides the glyph
    /// of a crossing when that edge is highlighted.
    public struct PathCell: Hashable, Sendable {
        public var x: Int
        public var y: Int
        public var horizontal: Bool
    }

    /// Widest label drawn, in columns; longer ones are cut with `…`.
    public static let labelCap = 32

    /// The layers and order drawn.
    public let layout: LineageLayout
    /// The glyph set.
    public let glyphs: LineageGlyphs
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// One box per node of `layout.nodes`.
    public let boxes: [Box]
    /// Column where each layer starts.
    public let layerColumns: [Int]
    /// For each edge of `layout.edges`, the cells its line passes, arrowhead included.
    public let edgePaths: [[PathCell]]
    /// How often rows were pushed down to route a channel (0 for most graphs).
    public let pushes: Int
    var canvas: LineageCanvas

    /// Draws a layout. `measure` gives the columns a label takes (the browser's display width).
    public init(layout: LineageLayout, glyphs: LineageGlyphs = .unicode, measure: (String) -> Int = { $0.count },
                characterWidth: (Character) -> Int = { _ in 1 }) {
        self.layout = layout
        self.glyphs = glyphs
        let slotCount = layout.slotCount
        let positions = layout.positions
        let channels = layout.channels
        var predecessors = [[Int]](repeating: [], count: slotCount)
        for segment in layout.segments { predecessors[segment.to].append(segment.from) }

        // Structures, then entry ports: one per structure entering a slot, ordered by source position.
        let structures = channels.map { LineageStructure.split($0, positions: positions) }
        var ports = [[Int]](repeating: [], count: slotCount)  // global structure ids per slot
        var globalID: [[Int]] = []
        var nextID = 0
        for (l, list) in structures.enumerated() {
            globalID.append(Array(nextID..<(nextID + list.count)))
            for (s, structure) in list.enumerated() {
                for target in structure.targets { ports[target].append(globalID[l][s]) }
            }
            nextID += list.count
        }
        var heights = [Int](repeating: 1, count: slotCount)
        for slot in 0..<slotCount {
            // Structures are numbered in order of their topmost source, so ids sort as ports do.
            ports[slot].sort()
            heights[slot] = max(1, ports[slot].count)
        }
        func portRow(_ rows: [Int], _ slot: Int, _ structure: Int) -> Int {
            rows[slot] + (ports[slot].firstIndex(of: structure) ?? 0)
        }

        var blocks = Self.align(layout: layout, positions: positions, predecessors: predecessors)
        var minimumRows = [Int](repeating: 0, count: slotCount)
        var rows = Self.compact(layout: layout, blocks: blocks, heights: heights, minimumRows: minimumRows)
        var tracks: [[Int?]] = []
        var pushes = 0
        while true {
            tracks = []
            var stuck: [Int] = []
            for (l, list) in structures.enumerated() {
                switch Self.route(list, ids: globalID[l], rows: rows, portRow: { portRow(rows, $0, $1) }) {
                case .routed(let order):
                    tracks.append(order)
                case .conflict(let target):
                    stuck.append(target)
                    tracks.append(Array(0..<list.count))
                }
            }
            guard !stuck.isEmpty, pushes < 400 else { break }
            for target in stuck {
                pushes += 1
                // The target leaves its input's block (else the input moves down with it) and goes a
                // row lower.
                let block = blocks[target]
                for slot in 0..<slotCount where blocks[slot] == block && layout.layerOf[slot] >= layout.layerOf[target] {
                    blocks[slot] = target
                }
                minimumRows[target] = rows[target] + 1
            }
            rows = Self.compact(layout: layout, blocks: blocks, heights: heights, minimumRows: minimumRows)
        }
        self.pushes = pushes

        // Columns: layer widths, then per channel 1 space, 2 lead cells, 2 cells per track, the
        // arrowhead, a bracket when the next layer has multi-port nodes, 1 space.
        let labels = layout.nodes.map { Self.cut($0.text(glyphs), measure: measure, ellipsis: glyphs.ellipsis) }
        let labelWidths = labels.map(measure)
        var layerWidths = [Int](repeating: 1, count: layout.layers.count)
        for (l, slots) in layout.layers.enumerated() {
            for slot in slots where !layout.isWaypoint(slot) { layerWidths[l] = max(layerWidths[l], labelWidths[slot]) }
        }
        var layerColumns: [Int] = []
        var arrowColumns: [Int] = []
        var x = 0
        for l in layout.layers.indices {
            layerColumns.append(x)
            x += layerWidths[l]
            guard l < layout.layers.count - 1 else { break }
            let trackCount = (tracks[l].compactMap { $0 }.max() ?? -1) + 1
            let bracket = layout.layers[l + 1].contains { heights[$0] > 1 }
            arrowColumns.append(x + 3 + 2 * trackCount)
            x += 3 + 2 * trackCount + 1 + (bracket ? 1 : 0) + 1
        }
        let height = (0..<slotCount).map { rows[$0] + heights[$0] }.max() ?? 0
        var canvas = LineageCanvas(width: x, height: height)
        var paths = [[PathCell]](repeating: [], count: layout.edges.count)
        func horizontalPath(_ edge: Int, y: Int, from a: Int, to b: Int) {
            guard a <= b else { return }
            for x in a...b { paths[edge].append(PathCell(x: x, y: y, horizontal: true)) }
        }

        // Waypoints: a line across their layer, owned by the structure that reaches them.
        var incoming = [Int](repeating: -1, count: slotCount)
        for (l, list) in structures.enumerated() {
            for (s, structure) in list.enumerated() {
                for target in structure.targets { incoming[target] = globalID[l][s] }
            }
        }
        for slot in layout.nodes.count..<max(layout.nodes.count, slotCount) {
            let l = layout.layerOf[slot]
            let (start, end) = (layerColumns[l], layerColumns[l] + layerWidths[l])
            canvas.horizontal(y: rows[slot], from: start, to: end, owner: incoming[slot])
            horizontalPath(layout.waypointEdges[slot - layout.nodes.count], y: rows[slot], from: start, to: end)
        }

        for (l, list) in structures.enumerated() {
            let x0 = layerColumns[l] + layerWidths[l]
            let arrow = arrowColumns[l]
            let nextLayer = layerColumns[l + 1]
            for (s, structure) in list.enumerated() {
                let id = globalID[l][s]
                let track = tracks[l][s].map { x0 + 3 + 2 * $0 }
                func stubStart(_ source: Int) -> Int {
                    layout.isWaypoint(source) ? x0 : layerColumns[l] + labelWidths[source] + 1
                }
                func end(_ target: Int) -> Int { layout.isWaypoint(target) ? nextLayer : arrow - 1 }
                if let track {
                    let ends = structure.sources.map { rows[$0] } + structure.targets.map { portRow(rows, $0, id) }
                    canvas.vertical(x: track, from: ends.min()!, to: ends.max()!, owner: id)
                    for source in structure.sources {
                        canvas.horizontal(y: rows[source], from: stubStart(source), to: track, owner: id)
                    }
                    for target in structure.targets {
                        canvas.horizontal(y: portRow(rows, target, id), from: track, to: end(target), owner: id)
                    }
                } else {
                    let (source, target) = (structure.sources[0], structure.targets[0])
                    canvas.horizontal(y: rows[source], from: stubStart(source), to: end(target), owner: id)
                }
                for segment in structure.segments {
                    let (from, to) = (rows[segment.from], portRow(rows, segment.to, id))
                    let e = segment.edge
                    if let track {
                        horizontalPath(e, y: from, from: stubStart(segment.from), to: track - 1)
                        for y in min(from, to)...max(from, to) { paths[e].append(PathCell(x: track, y: y, horizontal: false)) }
                        horizontalPath(e, y: to, from: track + 1, to: end(segment.to))
                    } else {
                        horizontalPath(e, y: from, from: stubStart(segment.from), to: end(segment.to))
                    }
                    if !layout.isWaypoint(segment.to) {
                        canvas.mark(layout.reversed.contains(e) ? .reverseArrow : .arrow, x: arrow, y: to)
                        paths[e].append(PathCell(x: arrow, y: to, horizontal: true))
                    }
                }
            }
            // Brackets after the arrowheads of multi-port nodes.
            for slot in layout.layers[l + 1] where heights[slot] > 1 {
                for port in 0..<heights[slot] {
                    let mark: LineageCanvas.Mark = port == 0 ? .bracketFirst : port == heights[slot] - 1 ? .bracketLast : .bracketMiddle
                    canvas.mark(mark, x: arrow + 1, y: rows[slot] + port)
                }
            }
        }

        var boxes: [Box] = []
        for node in layout.nodes.indices {
            let l = layout.layerOf[node]
            var column = layerColumns[l]
            for character in labels[node] {
                let w = characterWidth(character)
                guard w > 0 else { continue }
                canvas.write(character, x: column, y: rows[node])
                if w == 2 { canvas.mark(.continuation, x: column + 1, y: rows[node]) }
                column += w
            }
            boxes.append(Box(node: node, layer: l, row: rows[node], height: heights[node], column: layerColumns[l],
                             label: labels[node], width: labelWidths[node]))
        }
        self.canvas = canvas
        self.width = canvas.width
        self.height = canvas.height
        self.boxes = boxes
        self.layerColumns = layerColumns
        self.edgePaths = paths
    }

    /// The drawing as lines of text, trailing spaces removed.
    public var lines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width {
                if let character = canvas.character(x: x, y: y, glyphs: glyphs) { line.append(character) }
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// The character of a cell (`nil` for the right half of a wide character). With
    /// `horizontalOnTop`, a crossing shows its horizontal line: for a highlighted edge that passes it
    /// horizontally.
    public func character(x: Int, y: Int, horizontalOnTop: Bool = false) -> Character? {
        canvas.character(x: x, y: y, glyphs: glyphs, horizontalOnTop: horizontalOnTop)
    }

    /// Whether a cell is part of a label.
    public func isText(x: Int, y: Int) -> Bool {
        switch canvas[x, y].mark {
        case .text, .continuation: return true
        default: return false
        }
    }

    /// Whether a cell is a crossing of two lines that do not meet.
    public func isCrossing(x: Int, y: Int) -> Bool { canvas.isCrossing(x: x, y: y) }

    /// The box of a node by key.
    public func box(_ key: String) -> Box? { layout.index[key].map { boxes[$0] } }

    static func cut(_ text: String, measure: (String) -> Int, ellipsis: String) -> String {
        guard measure(text) > labelCap else { return text }
        var out = ""
        for character in text {
            if measure(out + String(character)) + measure(ellipsis) > labelCap { break }
            out.append(character)
        }
        return out + ellipsis
    }
}
