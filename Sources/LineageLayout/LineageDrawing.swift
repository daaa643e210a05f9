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
        /// Columns each character of the label takes, when some take other than one.
        var characterWidths: [UInt8]?
    }

    /// One cell of an edge's path; `horizontal` says how the edge passes it, which decides the glyph
    /// of a crossing when that edge is highlighted.
    public struct PathCell: Hashable, Sendable {
        public var x: Int
        public var y: Int
        public var horizontal: Bool
    }

    /// How one segment is drawn: along its source's row from `start` to `track`, along the track
    /// to its port's row, on to `end` (the arrowhead, or across the waypoint's layer it enters).
    /// Without a track (`-1`), straight along the row. 16 bytes, as big graphs have many.
    struct SegmentRoute: Hashable, Sendable {
        var fromRow: Int32 = 0
        var toRow: Int32 = 0
        var start: Int32 = 0
        var track: Int32 = -1
        var end: Int32 = 0
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
    /// How each segment of `layout.segments` is drawn; an edge's cells are worked out from these
    /// only when it is highlighted, as a big graph has far more cells than a screen.
    let routes: [SegmentRoute]
    /// Where each edge's segments start in `layout.segments` (its segments are consecutive).
    let firstSegment: [Int]
    /// How often rows were pushed down to route a channel (0 for most graphs).
    public let pushes: Int
    /// The lines, arrowheads and brackets; labels are painted from `boxes`.
    let strokes: LineageStrokes
    /// Indices into `boxes` by label row: row `y`'s are `boxRows[boxRowStart[y]..<boxRowStart[y + 1]]`.
    let boxRowStart: [Int]
    let boxRows: [Int]

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
        var strokes = LineageStrokes()
        var routes = [SegmentRoute](repeating: SegmentRoute(), count: layout.segments.count)
        var segmentIndex: [LineageLayout.Segment: Int] = [:]
        segmentIndex.reserveCapacity(layout.segments.count)
        for (i, segment) in layout.segments.enumerated() { segmentIndex[segment] = i }

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
            strokes.horizontal(y: rows[slot], from: start, to: end, owner: incoming[slot])
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
                    strokes.vertical(x: track, from: ends.min()!, to: ends.max()!, owner: id)
                    for source in structure.sources {
                        strokes.horizontal(y: rows[source], from: stubStart(source), to: track, owner: id)
                    }
                    for target in structure.targets {
                        strokes.horizontal(y: portRow(rows, target, id), from: track, to: end(target), owner: id)
                    }
                } else {
                    let (source, target) = (structure.sources[0], structure.targets[0])
                    strokes.horizontal(y: rows[source], from: stubStart(source), to: end(target), owner: id)
                }
                for segment in structure.segments {
                    let (from, to) = (rows[segment.from], portRow(rows, segment.to, id))
                    let isWaypoint = layout.isWaypoint(segment.to)
                    // Into a waypoint, the line goes on across the waypoint's layer.
                    let last = isWaypoint ? nextLayer + layerWidths[l + 1] : arrow
                    routes[segmentIndex[segment]!] = SegmentRoute(
                        fromRow: Int32(from), toRow: Int32(to), start: Int32(stubStart(segment.from)),
                        track: Int32(track ?? -1), end: Int32(last))
                    if !isWaypoint {
                        strokes.mark(layout.reversed.contains(segment.edge) ? .reverseArrow : .arrow, x: arrow, y: to)
                    }
                }
            }
            // Brackets after the arrowheads of multi-port nodes.
            for slot in layout.layers[l + 1] where heights[slot] > 1 {
                for port in 0..<heights[slot] {
                    let mark: LineageCanvas.Mark = port == 0 ? .bracketFirst : port == heights[slot] - 1 ? .bracketLast : .bracketMiddle
                    strokes.mark(mark, x: arrow + 1, y: rows[slot] + port)
                }
            }
        }

        strokes.index(height: height)
        var boxes: [Box] = []
        var boxRowStart = [Int](repeating: 0, count: height + 2)
        for node in layout.nodes.indices {
            let l = layout.layerOf[node]
            // Printable ASCII takes a column a character; only other labels ask for each width.
            let plain = labels[node].utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && labelWidths[node] == labels[node].utf8.count
            let widths = plain ? nil : labels[node].map { UInt8(clamping: max(0, characterWidth($0))) }
            boxes.append(Box(node: node, layer: l, row: rows[node], height: heights[node], column: layerColumns[l],
                             label: labels[node], width: labelWidths[node],
                             characterWidths: widths.flatMap { $0.allSatisfy { $0 == 1 } ? nil : $0 }))
            boxRowStart[rows[node] + 1] += 1
        }
        for y in 0...height { boxRowStart[y + 1] += boxRowStart[y] }
        var nextBox = boxRowStart
        var boxRows = [Int](repeating: 0, count: boxes.count)
        for (i, box) in boxes.enumerated() {
            boxRows[nextBox[box.row]] = i
            nextBox[box.row] += 1
        }
        self.strokes = strokes
        self.boxRowStart = boxRowStart
        self.boxRows = boxRows
        self.width = x
        self.height = height
        self.boxes = boxes
        self.layerColumns = layerColumns
        self.routes = routes
        var firstSegment = [Int](repeating: layout.segments.count, count: layout.edges.count + 1)
        for (i, segment) in layout.segments.enumerated().reversed() { firstSegment[segment.edge] = i }
        for e in stride(from: layout.edges.count - 1, through: 0, by: -1) {
            firstSegment[e] = min(firstSegment[e], firstSegment[e + 1])
        }
        self.firstSegment = firstSegment
    }

    /// The cells an edge's line passes, arrowhead included, in order from its source.
    public func path(ofEdge edge: Int) -> [PathCell] {
        var cells: [PathCell] = []
        for route in routes[firstSegment[edge]..<firstSegment[edge + 1]] {
            let (from, to, start, end) = (Int(route.fromRow), Int(route.toRow), Int(route.start), Int(route.end))
            if route.track >= 0 {
                let track = Int(route.track)
                for x in start..<track { cells.append(PathCell(x: x, y: from, horizontal: true)) }
                for y in min(from, to)...max(from, to) { cells.append(PathCell(x: track, y: y, horizontal: false)) }
                if track < end { for x in (track + 1)...end { cells.append(PathCell(x: x, y: to, horizontal: true)) } }
            } else if start <= end {
                for x in start...end { cells.append(PathCell(x: x, y: from, horizontal: true)) }
            }
        }
        return cells
    }

    /// The drawing as lines of text, trailing spaces removed.
    public var lines: [String] {
        let whole = window(x: 0, y: 0, width: width, height: height)
        return (0..<height).map { y in
            var line = ""
            for x in 0..<width {
                if let character = whole.character(x: x, y: y) { line.append(character) }
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// The cells of a part of the drawing: what the browser puts on screen. Painted from the
    /// strokes and labels that reach it, so its cost follows its size, not the graph's.
    public func window(x left: Int, y top: Int, width: Int, height: Int) -> Window {
        var canvas = LineageCanvas(left: left, top: top, width: width, height: height)
        strokes.paint(into: &canvas)
        let (firstRow, lastRow) = (max(0, top), min(self.height - 1, top + height - 1))
        if firstRow <= lastRow {
            for box in boxes(rows: firstRow..<(lastRow + 1)) {
                guard box.column < left + width, box.column + box.width > left else { continue }
                var column = box.column
                for (n, character) in box.label.enumerated() {
                    let w = box.characterWidths.map { Int($0[n]) } ?? 1
                    guard w > 0 else { continue }
                    canvas.write(character, x: column, y: box.row)
                    if w == 2 { canvas.mark(.continuation, x: column + 1, y: box.row) }
                    column += w
                }
            }
        }
        return Window(canvas: canvas, glyphs: glyphs)
    }

    /// The boxes whose label is on one of `rows`.
    public func boxes(rows: Range<Int>) -> [Box] {
        let (first, last) = (max(0, rows.lowerBound), min(height, rows.upperBound))
        guard first < last else { return [] }
        return boxRows[boxRowStart[first]..<boxRowStart[last]].map { boxes[$0] }
    }

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
