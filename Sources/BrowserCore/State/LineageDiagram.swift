import ArtifactStore
import LineageLayout

/// A lineage graph as the `L` view shows it: the shared `LineageDrawing` (the very picture
/// `arttui lineage` prints) and what moving along it needs — layers by row, inputs and outputs
/// through waypoints, where Enter goes.
public struct LineageDiagram: Hashable, Sendable {
    /// Where an artifact node points.
    public struct VersionTarget: Hashable, Sendable {
        public var project: String
        public var artifact: String
        public var index: Int
    }

    /// The picture.
    public let drawing: LineageDrawing
    /// The root's key.
    public let root: String
    /// Node keys of each layer, top to bottom.
    public let layers: [[String]]
    /// The store's nodes by key (summaries have none).
    let graphNodes: [String: LineageGraph.Node]
    /// Neighbours by key, nearest rows first.
    let inputs: [String: [String]]
    let outputs: [String: [String]]
    /// Edge indices touching each node.
    let incident: [String: [Int]]

    /// Lays out and draws a graph, folding what does not fit (`folding`), never folding `keep`.
    public init(graph: LineageGraph, unicode: Bool, folding: LineageFolding, keep: Set<String>) {
        root = graph.root
        graphNodes = Dictionary(graph.nodes.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let renderer = LineageTextRenderer(
            ascii: !unicode, folding: folding, measure: { DisplayWidth.width(of: $0) },
            characterWidth: { DisplayWidth.width(of: DisplayWidth.normalize($0)) })
        drawing = renderer.drawing(graph, keep: keep.union([graph.root]))
        let layout = drawing.layout
        var layers = [[String]](repeating: [], count: layout.layers.count)
        for box in drawing.boxes.sorted(by: { ($0.layer, $0.row) < ($1.layer, $1.row) }) {
            layers[box.layer].append(layout.nodes[box.node].key)
        }
        self.layers = layers
        var inputs: [String: [String]] = [:], outputs: [String: [String]] = [:], incident: [String: [Int]] = [:]
        for (e, edge) in layout.edges.enumerated() {
            outputs[edge.from, default: []].append(edge.to)
            inputs[edge.to, default: []].append(edge.from)
            incident[edge.from, default: []].append(e)
            incident[edge.to, default: []].append(e)
        }
        var rowOf: [String: Int] = [:]
        rowOf.reserveCapacity(layout.nodes.count)
        for box in drawing.boxes { rowOf[layout.nodes[box.node].key] = box.row }
        func byRow(_ around: [String: [String]]) -> [String: [String]] {
            around.mapValues { $0.sorted { (rowOf[$0] ?? 0) < (rowOf[$1] ?? 0) } }
        }
        self.inputs = byRow(inputs)
        self.outputs = byRow(outputs)
        self.incident = incident
    }

    /// Layer and position in the layer of a node.
    public func position(of key: String) -> (layer: Int, row: Int)? {
        guard let box = drawing.box(key), let row = layers[box.layer].firstIndex(of: key) else { return nil }
        return (box.layer, row)
    }

    /// The node drawn for a key.
    public func node(_ key: String) -> LineageNode? { drawing.layout.index[key].map { drawing.layout.nodes[$0] } }

    /// The inputs (`outputs: false`) or outputs of a node, nearest row first.
    public func neighbours(of key: String, outputs: Bool) -> [String] {
        (outputs ? self.outputs : inputs)[key] ?? []
    }

    /// The edges touching a node, as indices into the drawing's edges.
    public func edges(of key: String) -> [Int] { incident[key] ?? [] }

    /// The store's node for a key; nil for a summary.
    public func graphNode(_ key: String) -> LineageGraph.Node? { graphNodes[key] }

    /// Where Enter on a version goes; nil for runs, summaries and deleted versions.
    public func target(of key: String) -> VersionTarget? {
        guard case let .version(project, name, _, index, _, deleted)? = graphNodes[key], !deleted else { return nil }
        return VersionTarget(project: project, artifact: name, index: index)
    }
}

/// `L`: the lineage view's state.
public struct LineageViewState: Hashable, Sendable {
    /// Hops up and down shown when the view opens.
    public static let defaultDepth = 3
    /// The version the view was opened on.
    public var version: ArtifactVersion
    /// Hops up and down loaded and drawn.
    public var depth = LineageViewState.defaultDepth
    /// The graph as loaded, nil while loading.
    public var graph: LineageGraph?
    /// Pages of folded neighbours expanded, by summary key.
    public var expanded: [String: Int] = [:]
    /// The drawing, nil while loading.
    public var diagram: LineageDiagram?
    /// The selected node.
    public var selected: String?
    /// The node the last ← or → came from, so that the opposite arrow goes back to it.
    public var cameFrom: String?
    /// The top-left cell of the drawing shown.
    public var scrollX = 0
    public var scrollY = 0
    /// The run Enter opened, shown over the graph until Esc.
    public var run: RunDetail?
    /// First line of the run shown.
    public var runScroll = 0

    /// A view on a version, loading.
    public init(version: ArtifactVersion) {
        self.version = version
    }
}
