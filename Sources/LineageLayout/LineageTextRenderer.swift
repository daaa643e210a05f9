import ArtifactStore

/// Draws a lineage graph as lines of text for `arttui lineage`: the same `LineageDrawing` the
/// browser shows, layers left to right, box drawing or plain ASCII.
///
/// ```swift
/// let lines = LineageTextRenderer(ascii: false).render(try store.lineage(of: version))
/// ```
public struct LineageTextRenderer: Sendable {
    /// Whether to draw with `+ - | > <` instead of box drawing characters.
    public var ascii: Bool
    /// Folds wider fan-outs and fan-ins (`… N more runs`); `nil` draws every node.
    public var folding: LineageFolding?
    /// Columns a label takes; the command line passes the terminal's display width.
    public var measure: @Sendable (String) -> Int
    /// Columns one character takes.
    public var characterWidth: @Sendable (Character) -> Int

    /// Creates a renderer.
    public init(ascii: Bool = false, folding: LineageFolding? = nil,
                measure: @escaping @Sendable (String) -> Int = { $0.count },
                characterWidth: @escaping @Sendable (Character) -> Int = { _ in 1 }) {
        self.ascii = ascii
        self.folding = folding
        self.measure = measure
        self.characterWidth = characterWidth
    }

    /// The drawing of a store's lineage graph, the root marked `*`; folding never hides `keep`.
    public func drawing(_ graph: LineageGraph, keep: Set<String> = []) -> LineageDrawing {
        var nodes = LineageNode.nodes(of: graph)
        var edges = graph.edges
        if let folding {
            (nodes, edges) = folding.fold(nodes: nodes, edges: edges, root: graph.root, keep: keep.union([graph.root]))
        }
        return LineageDrawing(layout: LineageLayout(nodes: nodes, edges: edges), glyphs: ascii ? .ascii : .unicode,
                              measure: measure, characterWidth: characterWidth)
    }

    /// The drawing, one string per line, trailing spaces removed.
    public func render(_ graph: LineageGraph) -> [String] { drawing(graph).lines }
}
