import ArtifactStore
import Foundation

/// A lineage graph arranged in layers along the flow (inputs left, outputs right): the first half of
/// drawing it; `LineageDrawing` places the layers on rows and routes the edges.
///
/// Layers follow the layered-layout literature (Sugiyama; grandalf's `setrank`): a node's layer is
/// one more than its latest input's, and a node without inputs moves next to its first use, so an
/// input used only by an evaluation sits one layer before it. An edge spanning several layers gets a
/// waypoint (dummy slot) in each layer between. The order within layers starts from a depth-first
/// walk in natural label order, then sweeps by barycenter while the crossing count falls, and ends
/// with one pass of adjacent swaps. Every step is deterministic.
public struct LineageLayout: Hashable, Sendable {
    /// A piece of an edge between adjacent layers, by slot: `from` in layer `l`, `to` in `l + 1`.
    public struct Segment: Hashable, Sendable {
        /// The slot it starts at.
        public var from: Int
        /// The slot it ends at.
        public var to: Int
        /// The edge it belongs to, an index into `edges`.
        public var edge: Int
    }

    /// The nodes; slot `i < nodes.count` is node `i`, slots after them are waypoints.
    public let nodes: [LineageNode]
    /// The edges drawn: known ends, no loops, no duplicates; reversed ones (cycles) point backwards.
    public let edges: [LineageGraph.Edge]
    /// Edges turned around to break a cycle, by index; drawn with `◀`.
    public let reversed: Set<Int>
    /// Slots of each layer, top to bottom.
    public private(set) var layers: [[Int]]
    /// The layer of every slot.
    public let layerOf: [Int]
    /// Every segment; a segment from layer `l` is in `channels[l]`.
    public let segments: [Segment]
    /// For each waypoint slot (index `slot - nodes.count`), the edge it belongs to.
    public let waypointEdges: [Int]

    /// Index of a node by key.
    public let index: [String: Int]

    /// Whether a slot is a waypoint of a long edge rather than a node.
    public func isWaypoint(_ slot: Int) -> Bool { slot >= nodes.count }

    /// Number of slots, nodes and waypoints.
    public var slotCount: Int { layerOf.count }

    /// Arranges nodes and edges. Keys in `pinned` keep their given relative order in their layer (the
    /// sweeps leave such a layer alone), for tests that need a crossing.
    public init(nodes: [LineageNode], edges given: [LineageGraph.Edge], pinned: [String] = []) {
        var index: [String: Int] = [:]
        var unique: [LineageNode] = []
        for node in nodes where index[node.key] == nil {
            index[node.key] = unique.count
            unique.append(node)
        }
        self.nodes = unique
        self.index = index
        let count = unique.count

        // Known ends, no loops, each once; from here on edges are pairs of node numbers, which
        // hash and compare far faster than pairs of keys.
        var seen = Set<Int>()
        var edges: [LineageGraph.Edge] = []
        var ends: [(from: Int, to: Int)] = []
        for edge in given where edge.from != edge.to {
            guard let u = index[edge.from], let v = index[edge.to], seen.insert(u * count + v).inserted else { continue }
            edges.append(edge)
            ends.append((u, v))
        }
        // Cycles (which lineage should never have): depth-first back edges are turned around.
        let natural = (0..<count).sorted { Self.naturalLess(unique[$0], unique[$1]) }
        var successors = [[Int]](repeating: [], count: count)
        for (e, end) in ends.enumerated() { successors[end.from].append(e) }
        var state = [UInt8](repeating: 0, count: count)  // 0 new, 1 on the stack, 2 done
        var reversed = Set<Int>()
        for start in natural where state[start] == 0 {
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            state[start] = 1
            while let top = stack.last {
                if top.next < successors[top.node].count {
                    stack[stack.count - 1].next += 1
                    let e = successors[top.node][top.next]
                    let to = ends[e].to
                    if state[to] == 1 { reversed.insert(e) } else if state[to] == 0 {
                        state[to] = 1
                        stack.append((to, 0))
                    }
                } else {
                    state[top.node] = 2
                    stack.removeLast()
                }
            }
        }
        for e in reversed {
            edges[e] = LineageGraph.Edge(from: edges[e].to, to: edges[e].from)
            ends[e] = (ends[e].to, ends[e].from)
        }
        // Reversing can create a duplicate of an existing edge; keep one.
        var kept = Set<Int>()
        var keptReversed = Set<Int>()
        var final: [LineageGraph.Edge] = []
        var finalEnds: [(from: Int, to: Int)] = []
        for (e, edge) in edges.enumerated() where kept.insert(ends[e].from * count + ends[e].to).inserted {
            if reversed.contains(e) { keptReversed.insert(final.count) }
            final.append(edge)
            finalEnds.append(ends[e])
        }
        self.edges = final
        self.reversed = keptReversed

        var preds = [[Int]](repeating: [], count: count)
        var succs = [[Int]](repeating: [], count: count)
        for (u, v) in finalEnds {
            succs[u].append(v)
            preds[v].append(u)
        }
        var layer = Self.longestPathLayers(count: count, preds: preds, succs: succs)
        // A node without inputs moves next to its first use.
        for v in 0..<count where preds[v].isEmpty && !succs[v].isEmpty {
            layer[v] = succs[v].map { layer[$0] }.min()! - 1
        }

        // Waypoints for long edges.
        var layerOf = layer
        var segments: [Segment] = []
        var waypointEdges: [Int] = []
        for (e, (u, v)) in finalEnds.enumerated() {
            var previous = u
            for l in (layer[u] + 1)..<max(layer[u] + 1, layer[v]) {
                let waypoint = layerOf.count
                layerOf.append(l)
                waypointEdges.append(e)
                segments.append(Segment(from: previous, to: waypoint, edge: e))
                previous = waypoint
            }
            segments.append(Segment(from: previous, to: v, edge: e))
        }
        self.layerOf = layerOf
        self.segments = segments
        self.waypointEdges = waypointEdges
        self.layers = []
        var rank = [Int](repeating: 0, count: count)
        for (r, node) in natural.enumerated() { rank[node] = r }
        order(rank: rank, targets: finalEnds.map(\.to), pinned: Set(pinned.compactMap { index[$0] }), pinnedOrder: pinned.compactMap { index[$0] })
    }

    /// Arranges a store's lineage graph, labelled as `LineageNode` labels nodes.
    public init(graph: LineageGraph, markRoot: Bool = true) {
        self.init(nodes: LineageNode.nodes(of: graph, markRoot: markRoot),
                  edges: graph.edges)
    }

    /// The position of every slot in its layer.
    public var positions: [Int] {
        var position = [Int](repeating: 0, count: slotCount)
        for slots in layers {
            for (i, slot) in slots.enumerated() { position[slot] = i }
        }
        return position
    }

    /// Segments between layer `l` and `l + 1`, for every `l`.
    public var channels: [[Segment]] {
        var result = [[Segment]](repeating: [], count: max(0, layers.count - 1))
        for segment in segments { result[layerOf[segment.from]].append(segment) }
        return result
    }

    /// How many pairs of segments cross: what the ordering minimises.
    public var crossings: Int { Self.crossings(channels: channels, positions: positions) }

    // MARK: Ordering

    /// Orders every layer; `rank` is each node's place in natural label order, `targets` the node
    /// each edge ends at.
    private mutating func order(rank: [Int], targets: [Int], pinned: Set<Int>, pinnedOrder: [Int]) {
        let depth = (layerOf.max() ?? -1) + 1
        var predecessors = [[Int]](repeating: [], count: slotCount)
        var successors = [[Int]](repeating: [], count: slotCount)
        for segment in segments {
            successors[segment.from].append(segment.to)
            predecessors[segment.to].append(segment.from)
        }
        // The label a slot sorts by: a waypoint by the node its edge ends at.
        let nodeCount = nodes.count
        let sortRank = (0..<slotCount).map { slot in
            slot < nodeCount ? rank[slot] : rank[targets[waypointEdges[slot - nodeCount]]]
        }
        // Children: nodes before waypoints (as the sweeps order ties), then in natural order.
        for slot in 0..<slotCount {
            successors[slot].sort { a, b in
                if isWaypoint(a) != isWaypoint(b) { return !isWaypoint(a) }
                return sortRank[a] < sortRank[b]
            }
        }
        // Initial order: depth-first from the sources in natural order, children likewise.
        var visit = [Int](repeating: -1, count: slotCount)
        var clock = 0
        let sources = (0..<slotCount).filter { predecessors[$0].isEmpty }
            .sorted { sortRank[$0] < sortRank[$1] }
        for source in sources where visit[source] < 0 {
            var stack = [source]
            while let slot = stack.popLast() {
                guard visit[slot] < 0 else { continue }
                visit[slot] = clock
                clock += 1
                for next in successors[slot].reversed() where visit[next] < 0 { stack.append(next) }
            }
        }
        for slot in 0..<slotCount where visit[slot] < 0 {
            visit[slot] = clock
            clock += 1
        }
        var layers = [[Int]](repeating: [], count: depth)
        for slot in (0..<slotCount).sorted(by: { visit[$0] < visit[$1] }) { layers[layerOf[slot]].append(slot) }
        let pinnedLayers = Set(pinned.map { layerOf[$0] })
        for l in pinnedLayers {
            // Pinned slots take the places pinned slots had, in the given order.
            var given = pinnedOrder.filter { layerOf[$0] == l }.makeIterator()
            layers[l] = layers[l].map { pinned.contains($0) ? given.next()! : $0 }
        }
        self.layers = layers

        let channels = self.channels
        var best = layers
        var fewest = Self.crossings(channels: channels, positions: positions)
        var scratch = [Int](repeating: 0, count: slotCount)
        for _ in 0..<4 where fewest > 0 {
            for l in 1..<max(1, depth) where !pinnedLayers.contains(l) {
                sweep(&layers, layer: l, neighbours: predecessors, position: &scratch)
            }
            for l in stride(from: depth - 2, through: 0, by: -1) where !pinnedLayers.contains(l) {
                sweep(&layers, layer: l, neighbours: successors, position: &scratch)
            }
            self.layers = layers
            let now = Self.crossings(channels: channels, positions: positions)
            if now >= fewest { break }
            fewest = now
            best = layers
        }
        self.layers = best
        transpose(predecessors: predecessors, successors: successors, skip: pinnedLayers)
    }

    /// Sorts one layer by the barycenter of its neighbours' positions in the adjacent layer; a slot
    /// without neighbours there keeps its position. Ties: nodes before waypoints, then previous order.
    /// `position` is scratch space, one entry per slot; only the adjacent layers' entries are read.
    private func sweep(_ layers: inout [[Int]], layer l: Int, neighbours: [[Int]], position: inout [Int]) {
        for other in [l - 1, l + 1] where other >= 0 && other < layers.count {
            for (i, slot) in layers[other].enumerated() { position[slot] = i }
        }
        let keyed = layers[l].enumerated().map { i, slot -> (slot: Int, center: Double, waypoint: Int, previous: Int) in
            let around = neighbours[slot]
            let center = around.isEmpty ? Double(i) : Double(around.reduce(0) { $0 + position[$1] }) / Double(around.count)
            return (slot, center, isWaypoint(slot) ? 1 : 0, i)
        }
        layers[l] = keyed.sorted { ($0.center, $0.waypoint, $0.previous) < ($1.center, $1.waypoint, $1.previous) }.map(\.slot)
    }

    /// One pass of adjacent swaps that each lower the crossings (dot's local transpositions).
    private mutating func transpose(predecessors: [[Int]], successors: [[Int]], skip: Set<Int>) {
        var position = positions
        for l in layers.indices where !skip.contains(l) && layers[l].count > 1 {
            for i in 0..<(layers[l].count - 1) {
                let (a, b) = (layers[l][i], layers[l][i + 1])
                let now = Self.pairCrossings(a, b, predecessors, position) + Self.pairCrossings(a, b, successors, position)
                let swapped = Self.pairCrossings(b, a, predecessors, position) + Self.pairCrossings(b, a, successors, position)
                if swapped < now {
                    layers[l].swapAt(i, i + 1)
                    position[a] = i + 1
                    position[b] = i
                }
            }
        }
    }

    /// Crossings between the edges of `a` and `b` on one side when `a` is above `b`.
    private static func pairCrossings(_ a: Int, _ b: Int, _ neighbours: [[Int]], _ position: [Int]) -> Int {
        var count = 0
        for x in neighbours[a] {
            for y in neighbours[b] where position[x] > position[y] { count += 1 }
        }
        return count
    }

    /// Pairs of crossing segments, counted per channel as inversions (Barth–Mutzel), O(E log E).
    static func crossings(channels: [[Segment]], positions: [Int]) -> Int {
        var total = 0
        for channel in channels where channel.count > 1 {
            let pairs = channel.map { (positions[$0.from], positions[$0.to]) }.sorted { $0 < $1 }
            let size = (pairs.map(\.1).max() ?? 0) + 1
            var tree = [Int](repeating: 0, count: size + 1)
            for (seen, pair) in pairs.enumerated() {
                // Segments seen so far that end strictly below this one cross it.
                var i = pair.1 + 1
                var atOrAbove = 0
                while i > 0 {
                    atOrAbove += tree[i]
                    i -= i & -i
                }
                total += seen - atOrAbove
                i = pair.1 + 1
                while i <= size {
                    tree[i] += 1
                    i += i & -i
                }
            }
        }
        return total
    }

    /// Layer of each node: 0 without inputs, else one more than the latest input's.
    private static func longestPathLayers(count: Int, preds: [[Int]], succs: [[Int]]) -> [Int] {
        var incoming = preds.map(\.count)
        var layer = [Int](repeating: 0, count: count)
        var ready = (0..<count).filter { incoming[$0] == 0 }
        var head = 0
        while head < ready.count {
            let v = ready[head]
            head += 1
            for w in succs[v] {
                layer[w] = max(layer[w], layer[v] + 1)
                incoming[w] -= 1
                if incoming[w] == 0 { ready.append(w) }
            }
        }
        return layer
    }

    /// Natural order of labels (`v2` before `v10`), summaries last, then keys.
    static func naturalLess(_ a: LineageNode, _ b: LineageNode) -> Bool {
        let (sa, sb) = (a.isSummary, b.isSummary)
        if sa != sb { return sb }
        let order = naturalOrder(a.label, b.label)
        if order != 0 { return order < 0 }
        return a.key < b.key
    }

    /// Compares two labels byte by byte, runs of digits by their value (`v2` before `v10`, and
    /// `v2` before `v02` when the values tie): -1, 0 or 1. Foundation's `.numeric` comparison
    /// did the same at a hundred times the cost, which a 2,000-node graph felt.
    static func naturalOrder(_ a: String, _ b: String) -> Int {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in naturalOrder(x, y) } }
    }

    private static func naturalOrder(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        var (i, j) = (0, 0)
        var leadingZeros = 0  // the first difference in zero padding, to break a tie of values
        while i < x.count && j < y.count {
            if isDigit(x[i]) && isDigit(y[j]) {
                var (si, sj) = (i, j)
                while si < x.count && x[si] == 0x30 { si += 1 }
                while sj < y.count && y[sj] == 0x30 { sj += 1 }
                var (ei, ej) = (si, sj)
                while ei < x.count && isDigit(x[ei]) { ei += 1 }
                while ej < y.count && isDigit(y[ej]) { ej += 1 }
                // Without zero padding, the longer run is the larger number.
                if ei - si != ej - sj { return ei - si < ej - sj ? -1 : 1 }
                for k in 0..<(ei - si) where x[si + k] != y[sj + k] { return x[si + k] < y[sj + k] ? -1 : 1 }
                if leadingZeros == 0 && si - i != sj - j { leadingZeros = si - i < sj - j ? -1 : 1 }
                (i, j) = (ei, ej)
            } else {
                if x[i] != y[j] { return x[i] < y[j] ? -1 : 1 }
                i += 1
                j += 1
            }
        }
        if i < x.count || j < y.count { return i < x.count ? 1 : -1 }
        return leadingZeros
    }
}
