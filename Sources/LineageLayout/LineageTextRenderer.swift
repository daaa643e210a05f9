import ArtifactStore

/// Draws a lineage graph as lines of text: layers left to right along the flow, runs as
/// `[run: train-3]`, versions as `(model:v4)` (the graph's root marked `*`, tombstones `deleted`),
/// edges as box-drawing lines ending in `▶`, or in plain ASCII.
///
/// The command line's `arttui lineage` and the browser's lineage view both draw with this.
///
/// ```swift
/// let lines = LineageTextRenderer(ascii: false).render(try store.lineage(of: version))
/// ```
public struct LineageTextRenderer: Sendable {
    /// Whether to draw with `-`, `|`, `+` and `>` instead of box-drawing characters.
    public var ascii: Bool

    /// Creates a renderer.
    public init(ascii: Bool = false) {
        self.ascii = ascii
    }

    /// The label a node is drawn with.
    public static func label(for node: LineageGraph.Node, isRoot: Bool = false) -> String {
        switch node {
        case let .run(id, name, _, _):
            return "[run: \(name.isEmpty ? id : name)]"
        case let .version(_, name, _, index, _, deleted):
            return "(\(name):v\(index)\(deleted ? " deleted" : ""))" + (isRoot ? "*" : "")
        }
    }

    /// The drawing, one string per line, trailing spaces removed.
    public func render(_ graph: LineageGraph) -> [String] {
        let layout = LineageLayout(graph: graph)
        let nodes = Dictionary(graph.nodes.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        func label(_ slot: LineageLayout.Slot) -> String {
            guard case .node(let key) = slot, let node = nodes[key] else { return "" }
            return LineageTextRenderer.label(for: node, isRoot: key == graph.root)
        }
        let position = layout.positions
        let widths = layout.layers.map { slots in max(1, slots.map { label($0).count }.max() ?? 1) }
        // One vertical lane per starting slot in each gap, in the order the slots are drawn.
        var lanes: [[LineageLayout.Slot: Int]] = []
        for layer in 0..<max(0, layout.layers.count - 1) {
            let starts = Set(layout.segments.filter { $0.layer == layer }.map(\.from))
                .sorted { position[$0]!.index < position[$1]!.index }
            lanes.append(Dictionary(uniqueKeysWithValues: starts.enumerated().map { ($1, $0) }))
        }
        var columns: [Int] = []
        var x = 0
        for (layer, width) in widths.enumerated() {
            columns.append(x)
            x += width + (layer < lanes.count ? lanes[layer].count + 3 : 0)
        }
        let height = max(1, (layout.layers.map(\.count).max() ?? 1) * 2 - 1)
        var canvas = LineageCanvas(width: x, height: height, ascii: ascii)
        func row(_ slot: LineageLayout.Slot) -> Int { position[slot]!.index * 2 }

        for (layer, slots) in layout.layers.enumerated() {
            for slot in slots where label(slot).isEmpty {
                canvas.horizontal(row: row(slot), from: columns[layer], to: columns[layer] + widths[layer])
            }
        }
        for segment in layout.segments {
            let layer = segment.layer
            let start = columns[layer] + label(segment.from).count
            let lane = columns[layer] + widths[layer] + 1 + lanes[layer][segment.from]!
            let targetIsNode = !label(segment.to).isEmpty
            let end = targetIsNode ? columns[layer + 1] - 2 : columns[layer + 1]
            canvas.horizontal(row: row(segment.from), from: start, to: lane)
            canvas.vertical(column: lane, from: row(segment.from), to: row(segment.to))
            canvas.horizontal(row: row(segment.to), from: lane, to: end)
            if targetIsNode { canvas.write(ascii ? ">" : "▶", row: row(segment.to), column: columns[layer + 1] - 1) }
        }
        for (layer, slots) in layout.layers.enumerated() {
            for slot in slots { canvas.write(label(slot), row: row(slot), column: columns[layer]) }
        }
        return canvas.lines
    }
}
