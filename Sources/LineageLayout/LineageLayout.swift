import ArtifactStore

/// A lineage graph arranged in layers along the flow (inputs left, outputs right), ready to draw.
///
/// Each node's layer is the longest path to it from a node with no inputs, so every edge points to a
/// later layer; an edge spanning several layers passes through a waypoint in each layer between.
/// Within a layer, slots are ordered by the barycenter of their neighbours' positions, sweeping
/// forward and backward a few times, which removes the crossings that need not be there.
public struct LineageLayout: Hashable, Sendable {
    /// What occupies a position in a layer.
    public enum Slot: Hashable, Sendable {
        /// A node of the graph, by key.
        case node(String)
        /// A waypoint of a long edge, by the edge's index in `LineageGraph.edges` and the layer it passes.
        case waypoint(edge: Int, layer: Int)
    }

    /// A link between slots of adjacent layers: a whole edge, or one leg of a long edge.
    public struct Segment: Hashable, Sendable {
        /// The layer the segment starts in; it ends in `layer + 1`.
        public var layer: Int
        /// The slot it starts at.
        public var from: Slot
        /// The slot it ends at.
        public var to: Slot
    }

    /// The slots of each layer, in drawing order (top to bottom).
    public var layers: [[Slot]]
    /// Every segment, in the order of the graph's edges.
    public var segments: [Segment]

    /// Arranges `graph`.
    public init(graph: LineageGraph) {
        let keys = graph.nodes.map(\.key)
        let known = Set(keys)
        let edges = graph.edges.filter { known.contains($0.from) && known.contains($0.to) && $0.from != $0.to }
        let layerOf = LineageLayout.longestPathLayers(keys: keys, edges: edges)
        let depth = (layerOf.values.max() ?? 0) + 1
        var layers = [[Slot]](repeating: [], count: depth)
        for key in keys { layers[layerOf[key]!].append(.node(key)) }
        var segments: [Segment] = []
        for (index, edge) in graph.edges.enumerated() where edges.contains(edge) {
            let (start, end) = (layerOf[edge.from]!, layerOf[edge.to]!)
            var previous = Slot.node(edge.from)
            for layer in (start + 1)..<max(start + 1, end) {
                let waypoint = Slot.waypoint(edge: index, layer: layer)
                layers[layer].append(waypoint)
                segments.append(Segment(layer: layer - 1, from: previous, to: waypoint))
                previous = waypoint
            }
            segments.append(Segment(layer: end - 1, from: previous, to: .node(edge.to)))
        }
        self.layers = layers
        self.segments = segments
        reduceCrossings()
    }

    /// The layer and position of every slot.
    public var positions: [Slot: (layer: Int, index: Int)] {
        var result: [Slot: (layer: Int, index: Int)] = [:]
        for (layer, slots) in layers.enumerated() {
            for (index, slot) in slots.enumerated() { result[slot] = (layer, index) }
        }
        return result
    }

    /// How many pairs of segments cross: a measure of how readable the drawing will be.
    public var crossings: Int {
        let position = positions
        var count = 0
        for layer in 0..<max(0, layers.count - 1) {
            let between = segments.filter { $0.layer == layer }
                .map { (position[$0.from]!.index, position[$0.to]!.index) }
            for (i, a) in between.enumerated() {
                for b in between[(i + 1)...] where (a.0 - b.0) * (a.1 - b.1) < 0 { count += 1 }
            }
        }
        return count
    }

    private mutating func reduceCrossings() {
        var best = layers
        var fewest = crossings
        for sweep in 0..<8 {
            let forward = sweep % 2 == 0
            let order = forward ? Array(1..<max(1, layers.count)) : Array((0..<max(0, layers.count - 1)).reversed())
            for layer in order {
                let neighbourLayer = forward ? layer - 1 : layer + 1
                let neighbourIndex = Dictionary(
                    uniqueKeysWithValues: layers[neighbourLayer].enumerated().map { ($1, Double($0)) })
                var neighbours: [Slot: [Double]] = [:]
                for segment in segments {
                    if forward, segment.layer == neighbourLayer, let index = neighbourIndex[segment.from] {
                        neighbours[segment.to, default: []].append(index)
                    } else if !forward, segment.layer == layer, let index = neighbourIndex[segment.to] {
                        neighbours[segment.from, default: []].append(index)
                    }
                }
                // A slot without neighbours on that side keeps its place.
                let keyed = layers[layer].enumerated().map { index, slot -> (Slot, Double, Int) in
                    let around = neighbours[slot] ?? []
                    let center = around.isEmpty ? Double(index) : around.reduce(0, +) / Double(around.count)
                    return (slot, center, index)
                }
                layers[layer] = keyed.sorted { ($0.1, $0.2) < ($1.1, $1.2) }.map(\.0)
            }
            let now = crossings
            if now < fewest {
                fewest = now
                best = layers
            }
        }
        layers = best
    }

    /// Layer of each node: 0 for nodes without inputs, else one more than the latest input's.
    /// Nodes on a cycle (which lineage never has) go after everything else rather than being lost.
    private static func longestPathLayers(keys: [String], edges: [LineageGraph.Edge]) -> [String: Int] {
        var incoming = Dictionary(uniqueKeysWithValues: keys.map { ($0, 0) })
        var outgoing: [String: [String]] = [:]
        for edge in edges {
            incoming[edge.to, default: 0] += 1
            outgoing[edge.from, default: []].append(edge.to)
        }
        var layer: [String: Int] = [:]
        var ready = keys.filter { incoming[$0] == 0 }
        for key in ready { layer[key] = 0 }
        while !ready.isEmpty {
            let key = ready.removeFirst()
            for next in outgoing[key] ?? [] {
                layer[next] = max(layer[next] ?? 0, layer[key]! + 1)
                incoming[next]! -= 1
                if incoming[next] == 0 { ready.append(next) }
            }
        }
        let last = (layer.values.max() ?? -1) + 1
        for key in keys where layer[key] == nil { layer[key] = last }
        return layer
    }
}
