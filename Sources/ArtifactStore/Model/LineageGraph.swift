import Foundation

/// A subgraph of the bipartite run/artifact-version graph around one version.
public struct LineageGraph: Hashable, Sendable {
    /// A node: a run or an artifact version.
    public enum Node: Hashable, Sendable {
        /// A run, by id, with its display name and job type.
        case run(id: String, name: String, jobType: String, state: String)
        /// An artifact version; `deleted` marks a tombstone kept so lineage does not lie.
        case version(project: String, name: String, type: String, index: Int, aliases: [String], deleted: Bool)

        /// A stable key for the node, unique within a graph.
        public var key: String {
            switch self {
            case let .run(id, _, _, _): return "run:\(id)"
            case let .version(project, name, _, index, _, _): return "artifact:\(project)/\(name):v\(index)"
            }
        }
    }

    /// A directed edge: version → run means the run used it; run → version means the run logged it.
    public struct Edge: Hashable, Sendable {
        /// Key of the node the edge starts at.
        public var from: String
        /// Key of the node the edge ends at.
        public var to: String

        /// Creates an edge.
        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    /// Key of the version the graph was drawn around.
    public var root: String
    /// All nodes, the root included.
    public var nodes: [Node]
    /// All edges between them.
    public var edges: [Edge]

    /// Creates a graph.
    public init(root: String, nodes: [Node], edges: [Edge]) {
        self.root = root
        self.nodes = nodes
        self.edges = edges
    }
}
