/// Segments of one channel (between layer `l` and `l + 1`) that may share line cells.
///
/// A complete bipartite set of segments (fan-out, fan-in, shared inputs) is one bus; otherwise a
/// source with several segments gets an out-star, then a target with several of the rest an
/// in-star, and every other segment stands alone. Any other sharing of cells would draw a path
/// that is not an edge.
struct LineageStructure: Sendable {
    /// Slots in layer `l`, top to bottom.
    var sources: [Int]
    /// Slots in layer `l + 1`, top to bottom.
    var targets: [Int]
    /// The segments it draws.
    var segments: [LineageLayout.Segment]

    /// The structures of one channel, ordered by their topmost source, then topmost target.
    static func split(_ channel: [LineageLayout.Segment], positions: [Int]) -> [LineageStructure] {
        guard !channel.isEmpty else { return [] }
        // Connected components over source and target slots (sources and targets are distinct layers).
        var parent: [Int: Int] = [:]
        func find(_ x: Int) -> Int {
            var x = x
            while let p = parent[x], p != x {
                parent[x] = parent[p] ?? p
                x = p
            }
            return x
        }
        for segment in channel {
            let (a, b) = (find(segment.from), find(segment.to))
            parent[a] = a
            parent[b] = b
            if a != b { parent[b] = a }
        }
        var components: [Int: [LineageLayout.Segment]] = [:]
        for segment in channel { components[find(segment.from), default: []].append(segment) }

        var result: [LineageStructure] = []
        for (_, segments) in components {
            let sources = Set(segments.map(\.from)), targets = Set(segments.map(\.to))
            let pairs = Set(segments.map { [$0.from, $0.to] })
            if pairs.count == sources.count * targets.count {
                result.append(LineageStructure(segments: segments, positions: positions))
                continue
            }
            var rest: [LineageLayout.Segment] = []
            let bySource = Dictionary(grouping: segments, by: \.from)
            for (_, group) in bySource {
                if Set(group.map(\.to)).count >= 2 {
                    result.append(LineageStructure(segments: group, positions: positions))
                } else {
                    rest += group
                }
            }
            for (_, group) in Dictionary(grouping: rest, by: \.to) {
                if Set(group.map(\.from)).count >= 2 {
                    result.append(LineageStructure(segments: group, positions: positions))
                } else {
                    for segment in group { result.append(LineageStructure(segments: [segment], positions: positions)) }
                }
            }
        }
        return result.sorted {
            (positions[$0.sources[0]], positions[$0.targets[0]]) < (positions[$1.sources[0]], positions[$1.targets[0]])
        }
    }

    private init(segments: [LineageLayout.Segment], positions: [Int]) {
        self.segments = segments
        sources = Array(Set(segments.map(\.from))).sorted { positions[$0] < positions[$1] }
        targets = Array(Set(segments.map(\.to))).sorted { positions[$0] < positions[$1] }
    }
}
