import ArtifactStore
import LineageLayout

/// A lineage graph arranged in layers, left (inputs) to right (outputs), as the browser draws it.
///
/// Layers and the order within each come from the shared `LineageLayout` (the one `arttui lineage`
/// prints with), which orders nodes to avoid needless crossings; this adds what the view needs:
/// labels, run or version, and where Enter jumps.
public struct LineageDiagram: Hashable, Sendable {
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
        let nodes = Dictionary(graph.nodes.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        layers = LineageLayout(graph: graph).layers.map { slots in
            slots.compactMap { slot -> Placed? in
                guard case .node(let key) = slot, let node = nodes[key] else { return nil }
                return Self.place(node)
            }
        }.filter { !$0.isEmpty }
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
    public var layout: LineageDiagram?
    /// The selected node.
    public var selected: String?
}
