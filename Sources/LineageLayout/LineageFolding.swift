import ArtifactStore

/// Folds a fan-out (or fan-in) too wide to read into its first neighbours and one summary node
/// (`… 4 more runs`), which a viewer can expand a page at a time.
public struct LineageFolding: Hashable, Sendable {
    /// Neighbours shown per node and side before folding: `limit - 1` and the summary.
    public var limit: Int
    /// Extra pages shown, by summary key (`LineageFolding.summaryKey`).
    public var expanded: [String: Int]

    /// Creates a folding; `limit` below 2 is raised to 2.
    public init(limit: Int, expanded: [String: Int] = [:]) {
        self.limit = max(2, limit)
        self.expanded = expanded
    }

    /// The key of the summary that folds `node`'s successors (`outputs`) or predecessors.
    public static func summaryKey(of node: String, outputs: Bool) -> String {
        outputs ? "more:\(node)>" : "more:<\(node)"
    }

    /// The nodes and edges left after folding, with summary nodes and their edges added. Nodes in
    /// `keep` (the root, the selection) are never folded away; aliased versions come next, then
    /// natural order. Nodes no longer connected to `root` are dropped with their edges.
    public func fold(nodes: [LineageNode], edges: [LineageGraph.Edge], root: String,
                     keep: Set<String> = []) -> (nodes: [LineageNode], edges: [LineageGraph.Edge]) {
        var nodes = nodes
        var edges = edges
        var folded = false
        for outputs in [true, false] {
            var byKey: [String: LineageNode] = [:]
            var neighbours: [String: [String]] = [:]
            for edge in edges {
                if outputs { neighbours[edge.from, default: []].append(edge.to) } else {
                    neighbours[edge.to, default: []].append(edge.from)
                }
            }
            var removed = Set<LineageGraph.Edge>()
            var added: [LineageGraph.Edge] = []
            for node in nodes {
                // Never fewer than `limit` are shown: most nodes are settled without building a key.
                guard let around = neighbours[node.key], around.count > limit else { continue }
                let key = Self.summaryKey(of: node.key, outputs: outputs)
                let shown = limit * (1 + (expanded[key] ?? 0))
                guard around.count > shown else { continue }
                if byKey.isEmpty { byKey = Dictionary(nodes.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first }) }
                let ranked = around.sorted { a, b in
                    let (na, nb) = (byKey[a]!, byKey[b]!)
                    let (ka, kb) = (keep.contains(a) ? 0 : 1, keep.contains(b) ? 0 : 1)
                    if ka != kb { return ka < kb }
                    let (aa, ab) = (na.label.contains("[") ? 0 : 1, nb.label.contains("[") ? 0 : 1)
                    if aa != ab { return aa < ab }
                    return LineageLayout.naturalLess(na, nb)
                }
                let hidden = ranked.dropFirst(shown - 1)
                for other in hidden {
                    removed.insert(outputs ? .init(from: node.key, to: other) : .init(from: other, to: node.key))
                }
                let kinds = Set(hidden.map { byKey[$0]!.kind })
                let noun = kinds == [.run] ? "runs" : kinds == [.version] ? "artifacts" : "nodes"
                nodes.append(LineageNode(key: key, label: "\(hidden.count) more \(noun)",
                                         kind: .summary(hidden: hidden.count, noun: noun)))
                added.append(outputs ? .init(from: node.key, to: key) : .init(from: key, to: node.key))
            }
            guard !added.isEmpty else { continue }
            folded = true
            edges = edges.filter { !removed.contains($0) } + added
        }
        // Nothing folded, nothing cut off.
        guard folded else { return (nodes, edges) }
        // Keep what is still connected to the root.
        var adjacent: [String: [String]] = [:]
        for edge in edges {
            adjacent[edge.from, default: []].append(edge.to)
            adjacent[edge.to, default: []].append(edge.from)
        }
        var reached: Set<String> = [root]
        var queue = [root]
        while let key = queue.popLast() {
            for next in adjacent[key] ?? [] where reached.insert(next).inserted { queue.append(next) }
        }
        return (nodes.filter { reached.contains($0.key) },
                edges.filter { reached.contains($0.from) && reached.contains($0.to) })
    }
}
