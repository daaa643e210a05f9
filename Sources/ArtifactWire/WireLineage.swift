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

extension WireLineage {
    /// The core's graph. Node keys are made again from the nodes as shown (a server's keys name its
    /// internal project names), and the edges and root follow them.
    public var graph: LineageGraph {
        var keys: [String: String] = [:]
        var made: [LineageGraph.Node] = []
        for node in nodes {
            let value: LineageGraph.Node
            if node.kind == "run" {
                value = .run(id: node.id ?? node.name, name: node.name, jobType: node.jobType ?? "", state: node.state ?? "")
            } else {
                value = .version(
                    project: node.project ?? "", name: node.name, type: node.type ?? "",
                    index: node.version.flatMap { Int($0.dropFirst()) } ?? 0, aliases: node.aliases ?? [],
                    deleted: node.deleted ?? false)
            }
            keys[node.key] = value.key
            made.append(value)
        }
        let edges = edges.compactMap { edge -> LineageGraph.Edge? in
            guard let from = edge["from"].flatMap({ keys[$0] }), let to = edge["to"].flatMap({ keys[$0] }) else { return nil }
            return LineageGraph.Edge(from: from, to: to)
        }
        return LineageGraph(root: keys[root] ?? root, nodes: made, edges: edges)
    }
}
