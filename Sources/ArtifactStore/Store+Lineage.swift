import Foundation

extension Store {
    /// The run/version graph around a version, `upstream` hops towards what it came from and
    /// `downstream` hops towards what used it. Without runs it is the version alone.
    public func lineage(of version: ArtifactVersion, upstream: Int, downstream: Int) throws -> LineageGraph {
        let node = LineageGraph.Node.version(
            project: version.project, name: version.name, type: version.type, index: version.index ?? 0,
            aliases: version.aliases, deleted: version.state == .deleted)
        return LineageGraph(root: node.key, nodes: [node], edges: [])
    }
}
