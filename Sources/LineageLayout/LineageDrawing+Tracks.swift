/// Tracks: the vertical lines of one channel, left to right.
extension LineageDrawing {
    enum Routing {
        /// The track of each structure, `nil` for one drawn straight along a row.
        case routed([Int?])
        /// No order of tracks keeps lines apart; this target slot must move down a row.
        case conflict(target: Int)
    }

    /// Orders a channel's tracks. On a row where a line leaves a node of one structure and a line
    /// enters a port of another, the leaving line's track must be left of the entering one's, or
    /// the two would run along the same cells (ELK's critical conflict). Among orders that satisfy
    /// that, each step takes the track whose place costs the fewest crossings.
    static func route(_ structures: [LineageStructure], ids: [Int], rows: [Int],
                      portRow: (Int, Int) -> Int) -> Routing {
        struct Ends {
            var sourceRows: [Int]
            var targetRows: [Int]
            var top: Int
            var bottom: Int
        }
        var ends: [Ends] = []
        var straight = [Bool](repeating: false, count: structures.count)
        var leaving: [Int: Int] = [:]  // row -> structure whose line leaves a node there
        var entering: [Int: (structure: Int, target: Int)] = [:]
        for (s, structure) in structures.enumerated() {
            let sourceRows = structure.sources.map { rows[$0] }
            let targetRows = structure.targets.map { portRow($0, ids[s]) }
            let all = sourceRows + targetRows
            ends.append(Ends(sourceRows: sourceRows, targetRows: targetRows, top: all.min()!, bottom: all.max()!))
            straight[s] = sourceRows.count == 1 && targetRows.count == 1 && sourceRows[0] == targetRows[0]
            for row in sourceRows { leaving[row] = s }
            for (target, row) in zip(structure.targets, targetRows) { entering[row] = (s, target) }
        }
        var mustPrecede = [[Int]](repeating: [], count: structures.count)
        var incoming = [Int](repeating: 0, count: structures.count)
        var conflictRows: [(row: Int, left: Int, right: Int, target: Int)] = []
        for (row, left) in leaving {
            guard let (right, target) = entering[row], right != left else { continue }
            if straight[left] || straight[right] { return .conflict(target: target) }
            mustPrecede[left].append(right)
            incoming[right] += 1
            conflictRows.append((row, left, right, target))
        }
        // Crossings if `a` is left of `b`: a's entering lines over b's track, b's leaving lines over a's.
        func cost(_ a: Int, _ b: Int) -> Int {
            ends[a].targetRows.filter { $0 > ends[b].top && $0 < ends[b].bottom }.count
                + ends[b].sourceRows.filter { $0 > ends[a].top && $0 < ends[a].bottom }.count
        }
        var remaining = Set((0..<structures.count).filter { !straight[$0] })
        var order: [Int] = []
        while !remaining.isEmpty {
            let ready = remaining.filter { incoming[$0] == 0 }.sorted()
            guard !ready.isEmpty else {
                // A cycle: move the lowest target taking part in it down a row.
                let stuck = conflictRows.filter { remaining.contains($0.left) && remaining.contains($0.right) }
                return .conflict(target: stuck.max { $0.row < $1.row }!.target)
            }
            let pick = ready.min { a, b in
                let (ca, cb) = (remaining.reduce(0) { $0 + ($1 == a ? 0 : cost(a, $1) - cost($1, a)) },
                                remaining.reduce(0) { $0 + ($1 == b ? 0 : cost(b, $1) - cost($1, b)) })
                return (ca, a) < (cb, b)
            }!
            remaining.remove(pick)
            order.append(pick)
            for next in mustPrecede[pick] { incoming[next] -= 1 }
        }
        var tracks = [Int?](repeating: nil, count: structures.count)
        for (track, s) in order.enumerated() { tracks[s] = track }
        return .routed(tracks)
    }
}
