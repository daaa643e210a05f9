import ArtifactStore
import Foundation

/// The lineage of a version as the server answers it and `lineage --json` prints it: `{root, nodes, edges}`.
public struct WireLineage: Codable, Sendable, Equatable {
    /// A run or a version in the graph.
    public struct Node: Codable, Sendable, Equatable {
        public var key: String
        public var kind: String
        public var id: String?
        public var name: String
        public var jobType: String?
        public var state: String?
        public var project: String?
        public var type: String?
        public var version: String?
        public var aliases: [String]?
        public var deleted: Bool?
    }

    public var root: String
    public var nodes: [Node]
    public var edges: [[String: String]]

    /// Makes the shape of a core value.
    public init(_ graph: LineageGraph) {
        root = graph.root
        nodes = graph.nodes.map { node in
            switch node {
            case let .run(id, name, jobType, state):
                return Node(key: node.key, kind: "run", id: id, name: name, jobType: jobType, state: state)
            case let .version(project, name, type, index, aliases, deleted):
                return Node(
                    key: node.key, kind: "version", name: name, project: project, type: type, version: "v\(index)",
                    aliases: aliases, deleted: deleted)
            }
        }
        edges = graph.edges.map { ["from": $0.from, "to": $0.to] }
    }
}
