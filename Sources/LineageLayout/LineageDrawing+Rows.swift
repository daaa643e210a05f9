/// Rows: which slots share a row with their input (alignment), and how blocks stack (compaction).
extension LineageDrawing {
    /// The block of every slot: slots aligned with their input share a block and so a row.
    ///
    /// Brandes–Köpf vertical alignment in one direction: left to right, each slot (in layer order)
    /// is aligned with its topmost input unless that input is already aligned with another slot or
    /// the alignment would cross an earlier one between the same layers. Waypoint-to-waypoint
    /// segments go first so that a long edge stays on one row.
    static func align(layout: LineageLayout, positions: [Int], predecessors: [[Int]]) -> [Int] {
        var block = Array(0..<layout.slotCount)
        var alignedTo = [Int](repeating: -1, count: layout.slotCount)
        for l in 1..<max(1, layout.layers.count) {
            var taken = Set<Int>()
            var pairs: [(Int, Int)] = []
            func crosses(_ u: Int, _ v: Int) -> Bool {
                pairs.contains { (positions[u] - $0.0) * (positions[v] - $0.1) < 0 }
            }
            func join(_ u: Int, _ v: Int) {
                alignedTo[v] = u
                taken.insert(u)
                pairs.append((positions[u], positions[v]))
            }
            for v in layout.layers[l] where layout.isWaypoint(v) {
                if let u = predecessors[v].first, layout.isWaypoint(u), !crosses(u, v) { join(u, v) }
            }
            for v in layout.layers[l] where alignedTo[v] < 0 {
                guard let u = predecessors[v].filter({ !taken.contains($0) }).min(by: { positions[$0] < positions[$1] })
                else { continue }
                if !crosses(u, v) { join(u, v) }
            }
        }
        for slots in layout.layers {
            for v in slots where alignedTo[v] >= 0 { block[v] = block[alignedTo[v]] }
        }
        return block
    }

    /// The row of every slot: blocks placed top-down, each at the lowest row its members allow
    /// (below the slot above each member, at or below each member's minimum row).
    static func compact(layout: LineageLayout, blocks: [Int], heights: [Int], minimumRows: [Int]) -> [Int] {
        let count = layout.slotCount
        var after = [[(block: Int, gap: Int)]](repeating: [], count: count)
        var incoming = [Int](repeating: 0, count: count)
        var start = [Int](repeating: 0, count: count)
        for slot in 0..<count { start[blocks[slot]] = max(start[blocks[slot]], minimumRows[slot]) }
        for slots in layout.layers where slots.count > 1 {
            for i in 1..<slots.count {
                let (a, b) = (slots[i - 1], slots[i])
                after[blocks[a]].append((blocks[b], heights[a]))
                incoming[blocks[b]] += 1
            }
        }
        var ready = (0..<count).filter { blocks[$0] == $0 && incoming[$0] == 0 }
        var row = start
        var head = 0
        while head < ready.count {
            let b = ready[head]
            head += 1
            for (next, gap) in after[b] {
                row[next] = max(row[next], row[b] + gap)
                incoming[next] -= 1
                if incoming[next] == 0 { ready.append(next) }
            }
        }
        let roots = (0..<count).filter { blocks[$0] == $0 }.count
        guard head == roots else {
            // Alignments that cross cannot stack; they are prevented, but never lose a drawing.
            return compact(layout: layout, blocks: Array(0..<count), heights: heights, minimumRows: minimumRows)
        }
        return (0..<count).map { row[blocks[$0]] }
    }
}
