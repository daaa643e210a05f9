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
        // Slots by a local number; sources and targets are in different layers, so never mixed up.
        var local: [Int: Int] = [:]
        local.reserveCapacity(channel.count * 2)
        func number(_ slot: Int) -> Int {
            if let n = local[slot] { return n }
            local[slot] = local.count
            return local.count - 1
        }
        let ends = channel.map { (from: number($0.from), to: number($0.to)) }
        // Connected components (union-find).
        var parent = Array(0..<local.count)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for (a, b) in ends {
            let (ra, rb) = (find(a), find(b))
            if ra != rb { parent[rb] = ra }
        }
        var components: [Int: [Int]] = [:]  // root -> segment indices
        for (i, end) in ends.enumerated() { components[find(end.from), default: []].append(i) }

        // Segments per slot within the component (pairs are distinct, so these count neighbours).
        var degree = [Int](repeating: 0, count: local.count)
        var result: [LineageStructure] = []
        for (_, members) in components {
            var sources = 0, targets = 0
            for i in members {
                if degree[ends[i].from] == 0 { sources += 1 }
                if degree[ends[i].to] == 0 { targets += 1 }
                degree[ends[i].from] += 1
                degree[ends[i].to] += 1
            }
            if members.count == sources * targets {
                result.append(LineageStructure(segments: members.map { channel[$0] }, positions: positions))
            } else {
                // Out-stars first; what is left joins in-stars or stands alone.
                var stars: [Int: [Int]] = [:]
                var rest: [Int] = []
                for i in members {
                    if degree[ends[i].from] >= 2 { stars[ends[i].from, default: []].append(i) } else { rest.append(i) }
                }
                var restDegree: [Int: Int] = [:]
                for i in rest { restDegree[ends[i].to, default: 0] += 1 }
                var inStars: [Int: [Int]] = [:]
                for i in rest {
                    if restDegree[ends[i].to]! >= 2 { inStars[ends[i].to, default: []].append(i) } else {
                        result.append(LineageStructure(segments: [channel[i]], positions: positions))
                    }
                }
                for group in Array(stars.values) + Array(inStars.values) {
                    result.append(LineageStructure(segments: group.map { channel[$0] }, positions: positions))
                }
            }
            for i in members {
                degree[ends[i].from] = 0
                degree[ends[i].to] = 0
            }
        }
        return result.sorted {
            (positions[$0.sources[0]], positions[$0.targets[0]]) < (positions[$1.sources[0]], positions[$1.targets[0]])
        }
    }

    private init(segments: [LineageLayout.Segment], positions: [Int]) {
        self.segments = segments
        func distinct(_ slots: [Int]) -> [Int] {
            var sorted = slots.sorted { positions[$0] < positions[$1] }
            var write = 0
            for slot in sorted where write == 0 || sorted[write - 1] != slot {
                sorted[write] = slot
                write += 1
            }
            return Array(sorted.prefix(write))
        }
        sources = distinct(segments.map(\.from))
        targets = distinct(segments.map(\.to))
    }
}
