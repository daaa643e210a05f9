import ArtifactStore

/// A lineage graph arranged in layers, left (inputs) to right (outputs).
///
/// Each node goes one layer right of the nodes it comes from, found breadth-first from the
/// root, so the root's producers sit left of it and its consumers right of it. Nodes within a
/// layer are sorted by label so the picture is stable.
public struct LineageLayout: Hashable, Sendable {
    /// A node as drawn.
    public struct Placed: Hashable, Sendable {
        /// The node's key in the graph.
        public var key: String
        /// The text in its box.
        public var label: String
        /// Whether it is a run (else an artifact version).
        public var isRun: Bool
        /// The version it stands for, when it is an undeleted artifact version.
        public var target: VersionTarget?
    }

    /// Where an artifact node points.
    public struct VersionTarget: Hashable, Sendable {
        public var project: String
        public var artifact: String
        public var index: Int
    }

    /// Layers left to right, each a column of nodes top to bottom.
    public var layers: [[Placed]]
    /// Edges by node key.
    public var edges: [LineageGraph.Edge]
    /// The root's key.
    public var root: String

    /// Lays out a graph.
    public init(graph: LineageGraph) {
        root = graph.root
        edges = graph.edges
        var layerOf: [String: Int] = [graph.root: 0]
        var queue = [graph.root]
        var outgoing: [String: [String]] = [:]
        var incoming: [String: [String]] = [:]
        for edge in graph.edges {
            outgoing[edge.from, default: []].append(edge.to)
            incoming[edge.to, default: []].append(edge.from)
        }
        var head = 0
        while head < queue.count {
            let key = queue[head]
            head += 1
            let layer = layerOf[key]!
            for next in outgoing[key, default: []] where layerOf[next] == nil {
                layerOf[next] = layer + 1
                queue.append(next)
            }
            for previous in incoming[key, default: []] where layerOf[previous] == nil {
                layerOf[previous] = layer - 1
                queue.append(previous)
            }
        }
        let nodes = graph.nodes.filter { layerOf[$0.key] != nil || $0.key == graph.root }
        let minimum = layerOf.values.min() ?? 0
        let maximum = layerOf.values.max() ?? 0
        var columns = Array(repeating: [Placed](), count: maximum - minimum + 1)
        for node in nodes {
            columns[(layerOf[node.key] ?? 0) - minimum].append(Self.place(node))
        }
        layers = columns.map { $0.sorted { ($0.label, $0.key) < ($1.label, $1.key) } }
    }

    /// Layer and row of a node.
    public func position(of key: String) -> (layer: Int, row: Int)? {
        for (layer, column) in layers.enumerated() {
            if let row = column.firstIndex(where: { $0.key == key }) { return (layer, row) }
        }
        return nil
    }

    private static func place(_ node: LineageGraph.Node) -> Placed {
        switch node {
        case let .run(_, name, jobType, state):
            let job = jobType.isEmpty ? "" : " (\(jobType))"
            let suffix = state.isEmpty || state == "finished" ? "" : " [\(state)]"
            return Placed(key: node.key, label: "run \(name)\(job)\(suffix)", isRun: true, target: nil)
        case let .version(project, name, _, index, aliases, deleted):
            let badges = aliases.isEmpty ? "" : " [" + aliases.joined(separator: ",") + "]"
            let label = "\(name):v\(index)\(badges)\(deleted ? " (deleted)" : "")"
            let target = deleted ? nil : VersionTarget(project: project, artifact: name, index: index)
            return Placed(key: node.key, label: label, isRun: false, target: target)
        }
    }
}

/// `L`: the lineage view's state.
public struct LineageViewState: Hashable, Sendable {
    /// The version the view was opened on.
    public var version: ArtifactVersion
    /// The arranged graph, nil while loading.
    public var layout: LineageLayout?
    /// The selected node.
    public var selected: String?
}
