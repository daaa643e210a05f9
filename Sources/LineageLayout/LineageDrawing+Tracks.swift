/// Tracks: the vertical lines of one channel, left to right.
extension LineageDrawing {
    enum Routing {
        /// The track of each structure (left to right, shared by structures whose rows do not
        /// meet), `nil` for one drawn straight along a row.
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
        // Rows where a structure's line leaves a node, and where one enters a port.
        var leaving: [(row: Int, structure: Int)] = []
        var entering: [(row: Int, structure: Int, target: Int)] = []
        for (s, structure) in structures.enumerated() {
            let sourceRows = structure.sources.map { rows[$0] }
            let targetRows = structure.targets.map { portRow($0, ids[s]) }
            let all = sourceRows + targetRows
            ends.append(Ends(sourceRows: sourceRows, targetRows: targetRows, top: all.min()!, bottom: all.max()!))
            straight[s] = sourceRows.count == 1 && targetRows.count == 1 && sourceRows[0] == targetRows[0]
            for row in sourceRows { leaving.append((row, s)) }
            for (target, row) in zip(structure.targets, targetRows) { entering.append((row, s, target)) }
        }
        var mustPrecede = [[Int]](repeating: [], count: structures.count)
        var incoming = [Int](repeating: 0, count: structures.count)
        var conflictRows: [(row: Int, left: Int, right: Int, target: Int)] = []
        leaving.sort { $0.row < $1.row }
        entering.sort { $0.row < $1.row }
        var cursor = 0
        for (row, left) in leaving {
            while cursor < entering.count && entering[cursor].row < row { cursor += 1 }
            guard cursor < entering.count, entering[cursor].row == row else { continue }
            let (right, target) = (entering[cursor].structure, entering[cursor].target)
            guard right != left else { continue }
            if straight[left] || straight[right] { return .conflict(target: target) }
            mustPrecede[left].append(right)
            incoming[right] += 1
            conflictRows.append((row, left, right, target))
        }
        // Crossings if `a` is left of `b`: a's entering lines over b's track, b's leaving lines over a's.
        func cost(_ a: Int, _ b: Int) -> Int {
            var count = 0
            for row in ends[a].targetRows where row > ends[b].top && row < ends[b].bottom { count += 1 }
            for row in ends[b].sourceRows where row > ends[a].top && row < ends[a].bottom { count += 1 }
            return count
        }
        let tracked = (0..<structures.count).filter { !straight[$0] }
        // How many more crossings placing each track left of all the others costs than the reverse;
        // only tracks whose spans overlap can cross, so only those pairs are looked at.
        var advantage = [Int](repeating: 0, count: structures.count)
        var against = [[(other: Int, delta: Int)]](repeating: [], count: structures.count)
        let bySpan = tracked.sorted { ends[$0].top < ends[$1].top }
        for (i, a) in bySpan.enumerated() {
            for b in bySpan[(i + 1)...] {
                guard ends[b].top <= ends[a].bottom else { break }
                let delta = cost(a, b) - cost(b, a)
                guard delta != 0 else { continue }
                advantage[a] += delta
                advantage[b] -= delta
                against[a].append((b, delta))
                against[b].append((a, -delta))
            }
        }
        var done = [Bool](repeating: false, count: structures.count)
        var ready = tracked.filter { incoming[$0] == 0 }
        var order: [Int] = []
        while order.count < tracked.count {
            guard let at = ready.indices.min(by: { (advantage[ready[$0]], ready[$0]) < (advantage[ready[$1]], ready[$1]) }) else {
                // A cycle: move the lowest target taking part in it down a row.
                let stuck = conflictRows.filter { !done[$0.left] && !done[$0.right] }
                return .conflict(target: stuck.max { $0.row < $1.row }!.target)
            }
            let pick = ready.remove(at: at)
            done[pick] = true
            order.append(pick)
            for (other, delta) in against[pick] { advantage[other] += delta }
            for next in mustPrecede[pick] {
                incoming[next] -= 1
                if incoming[next] == 0 { ready.append(next) }
            }
        }
        // Tracks are shared where spans leave each other alone: a structure takes the first track
        // right of every earlier one that comes within a row of it. Two lines in one track are
        // thus at least a row apart (in ASCII every tee is `+`, and `+` over `+` would read as one
        // line), and structures that share a row keep the order chosen above, so every row looks
        // exactly as with one track each: no new crossing, no new meeting.
        var tracks = [Int?](repeating: nil, count: structures.count)
        var placed: [(top: Int, bottom: Int, track: Int)] = []
        for s in order {
            var track = 0
            for other in placed where other.top <= ends[s].bottom + 1 && ends[s].top <= other.bottom + 1 {
                track = max(track, other.track + 1)
            }
            tracks[s] = track
            placed.append((ends[s].top, ends[s].bottom, track))
        }
        return .routed(tracks)
    }
}
