import ArtifactStore

/// A node as the lineage drawing shows it: a run, an artifact version, or a folded group of
/// neighbours (`… 4 more runs`) that stands for nodes left out of the view.
public struct LineageNode: Hashable, Sendable {
    /// What the node stands for.
    public enum Kind: Hashable, Sendable {
        /// A run (`run evaluate-best`).
        case run
        /// An artifact version (`model:v4 [best]`).
        case version
        /// `hidden` neighbours of one node folded into one, named by `noun` (`runs`, `artifacts`).
        case summary(hidden: Int, noun: String)
    }

    /// Unique in the drawing; for runs and versions, the `LineageGraph.Node` key.
    public var key: String
    /// The text drawn; for a summary, built from the glyph set when drawn.
    public var label: String
    /// Run, version or summary.
    public var kind: Kind

    /// Creates a node.
    public init(key: String, label: String, kind: Kind) {
        self.key = key
        self.label = label
        self.kind = kind
    }

    /// A node of a store's lineage graph, labelled as both `arttui lineage` and the browser show it:
    /// `run NAME`, `NAME:vN [alias,…]`, `(deleted)` for a tombstone, ` *` after the graph's root.
    /// A version of a project other than `rootProject` is named `PROJECT/NAME:vN`, as two projects'
    /// `ds:v0` are different artifacts.
    public init(_ node: LineageGraph.Node, isRoot: Bool = false, rootProject: String? = nil) {
        let mark = isRoot ? " *" : ""
        switch node {
        case let .run(id, name, _, _):
            self.init(key: node.key, label: "run \(name.isEmpty ? id : name)\(mark)", kind: .run)
        case let .version(project, name, _, index, aliases, deleted):
            let qualifier = rootProject.map { $0 == project ? "" : project + "/" } ?? ""
            let badges = aliases.isEmpty ? "" : " [" + aliases.joined(separator: ",") + "]"
            self.init(key: node.key,
                      label: "\(qualifier)\(name):v\(index)\(badges)\(deleted ? " (deleted)" : "")\(mark)",
                      kind: .version)
        }
    }

    /// Every node of a store's lineage graph, labelled relative to its root's project; ` *` marks
    /// the root when `markRoot`.
    public static func nodes(of graph: LineageGraph, markRoot: Bool = true) -> [LineageNode] {
        let rootProject = graph.nodes.lazy.compactMap { node -> String? in
            if node.key == graph.root, case let .version(project, _, _, _, _, _) = node { return project }
            return nil
        }.first
        return graph.nodes.map { LineageNode($0, isRoot: markRoot && $0.key == graph.root, rootProject: rootProject) }
    }

    /// Whether it stands for folded neighbours.
    public var isSummary: Bool {
        if case .summary = kind { return true }
        return false
    }

    /// The text to draw with a glyph set: a summary's label depends on its ellipsis.
    func text(_ glyphs: LineageGlyphs) -> String {
        if case let .summary(hidden, noun) = kind { return "\(glyphs.ellipsis) \(hidden) more \(noun)" }
        return label
    }
}
