import Foundation

extension Store {
    /// The run that logged a version, if any (the reference's `artifact.logged_by()`).
    public func loggedBy(_ version: ArtifactVersion) throws -> RunRecord? {
        guard let id = version.loggedBy else { return nil }
        do {
            return try catalog.run(id: id)
        } catch StoreError.runNotFound {
            return nil
        }
    }

    /// The runs that used a version, first use first (the reference's `artifact.used_by()`).
    public func usedBy(_ version: ArtifactVersion) throws -> [RunRecord] {
        try catalog.runs(using: version.id)
    }

    /// The versions a run logged, deleted ones included (the reference's `run.logged_artifacts()`).
    public func loggedArtifacts(of run: RunRecord) throws -> [ArtifactVersion] {
        try catalog.versions(loggedBy: run.id)
    }

    /// The versions a run used, deleted ones included (the reference's `run.used_artifacts()`).
    public func usedArtifacts(of run: RunRecord) throws -> [ArtifactVersion] {
        try catalog.versions(usedBy: run.id)
    }

    /// The lineage subgraph around a version: up to `upstream` edges against the flow (what made it)
    /// and `downstream` edges along it (what was made from it). Each edge is one hop.
    ///
    /// Deleted versions on the way are kept, marked `deleted`, so the graph shows what really happened.
    public func lineage(of version: ArtifactVersion, upstream: Int = 3, downstream: Int = 3) throws -> LineageGraph {
        var builder = LineageBuilder(root: version)
        var frontier: [LineageBuilder.Item] = [.version(version)]
        for _ in 0..<max(0, upstream) where !frontier.isEmpty {
            var next: [LineageBuilder.Item] = []
            for item in frontier {
                switch item {
                case .version(let version):
                    if let run = try loggedBy(version), builder.add(run: run, edgeTo: version) {
                        next.append(.run(run))
                    }
                case .run(let run):
                    for input in try usedArtifacts(of: run) where builder.add(version: input, edgeTo: run) {
                        next.append(.version(input))
                    }
                }
            }
            frontier = next
        }
        frontier = [.version(version)]
        for _ in 0..<max(0, downstream) where !frontier.isEmpty {
            var next: [LineageBuilder.Item] = []
            for item in frontier {
                switch item {
                case .version(let version):
                    for run in try usedBy(version) where builder.add(run: run, edgeFrom: version) {
                        next.append(.run(run))
                    }
                case .run(let run):
                    for output in try loggedArtifacts(of: run) where builder.add(version: output, edgeFrom: run) {
                        next.append(.version(output))
                    }
                }
            }
            frontier = next
        }
        return builder.graph
    }
}

/// Collects nodes and edges for `Store.lineage`, each once.
private struct LineageBuilder {
    enum Item {
        case version(ArtifactVersion)
        case run(RunRecord)
    }

    private(set) var graph: LineageGraph
    private var keys: Set<String> = []
    private var edges: Set<LineageGraph.Edge> = []

    init(root: ArtifactVersion) {
        let node = LineageBuilder.node(root)
        graph = LineageGraph(root: node.key, nodes: [node], edges: [])
        keys.insert(node.key)
    }

    /// Adds `run → version`; true when the run is new to the graph.
    mutating func add(run: RunRecord, edgeTo version: ArtifactVersion) -> Bool {
        add(LineageBuilder.node(run), edge: .init(from: LineageBuilder.node(run).key, to: key(version)))
    }

    /// Adds `version → run`; true when the run is new to the graph.
    mutating func add(run: RunRecord, edgeFrom version: ArtifactVersion) -> Bool {
        add(LineageBuilder.node(run), edge: .init(from: key(version), to: LineageBuilder.node(run).key))
    }

    /// Adds `version → run`; true when the version is new to the graph.
    mutating func add(version: ArtifactVersion, edgeTo run: RunRecord) -> Bool {
        guard version.index != nil else { return false }
        return add(LineageBuilder.node(version), edge: .init(from: key(version), to: LineageBuilder.node(run).key))
    }

    /// Adds `run → version`; true when the version is new to the graph.
    mutating func add(version: ArtifactVersion, edgeFrom run: RunRecord) -> Bool {
        guard version.index != nil else { return false }
        return add(LineageBuilder.node(version), edge: .init(from: LineageBuilder.node(run).key, to: key(version)))
    }

    private mutating func add(_ node: LineageGraph.Node, edge: LineageGraph.Edge) -> Bool {
        if edges.insert(edge).inserted { graph.edges.append(edge) }
        guard keys.insert(node.key).inserted else { return false }
        graph.nodes.append(node)
        return true
    }

    private func key(_ version: ArtifactVersion) -> String { LineageBuilder.node(version).key }

    static func node(_ version: ArtifactVersion) -> LineageGraph.Node {
        .version(
            project: version.project, name: version.name, type: version.type, index: version.index ?? -1,
            aliases: version.aliases, deleted: version.state == .deleted)
    }

    static func node(_ run: RunRecord) -> LineageGraph.Node {
        .run(id: run.id, name: run.name, jobType: run.jobType ?? "", state: run.state.rawValue)
    }
}
