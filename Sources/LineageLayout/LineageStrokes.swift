/// The lines and marks of a lineage drawing kept as strokes, not cells, and indexed by row, so that
/// a screenful is painted from only the strokes that reach it: a 2,000-node graph covers millions
/// of cells but has a few thousand strokes.
///
/// Painting a window and painting the whole picture go through the same `LineageCanvas.add`, so
/// a window shows exactly the cells of the whole picture it covers.
struct LineageStrokes: Hashable, Sendable {
    /// A straight line, ends included: `at` is the row of a horizontal, the column of a vertical.
    struct Stroke: Hashable, Sendable {
        var at: Int32
        var from: Int32
        var to: Int32
        var owner: Int32
    }

    /// An arrowhead or bracket.
    struct Mark: Hashable, Sendable {
        var x: Int32
        var y: Int32
        var mark: LineageCanvas.Mark
    }

    /// Rows per band of the vertical index; a vertical is listed in every band it passes.
    private static let band = 16

    private var horizontals: [Stroke] = []
    private var verticals: [Stroke] = []
    private var marks: [Mark] = []
    /// After `index`: horizontals and marks of row `y` are `horizontals[horizontalStart[y]..<horizontalStart[y + 1]]`.
    private var horizontalStart: [Int] = []
    private var markStart: [Int] = []
    /// Verticals passing band `b` are `verticals[bandList[bandStart[b]..<bandStart[b + 1]]]`.
    private var bandStart: [Int] = []
    private var bandList: [Int32] = []
    /// Rows indexed.
    private var height = 0

    mutating func horizontal(y: Int, from start: Int, to end: Int, owner: Int) {
        guard start < end else { return }
        horizontals.append(Stroke(at: Int32(y), from: Int32(start), to: Int32(end), owner: Int32(owner)))
    }

    mutating func vertical(x: Int, from top: Int, to bottom: Int, owner: Int) {
        guard top < bottom else { return }
        verticals.append(Stroke(at: Int32(x), from: Int32(top), to: Int32(bottom), owner: Int32(owner)))
    }

    mutating func mark(_ mark: LineageCanvas.Mark, x: Int, y: Int) {
        marks.append(Mark(x: Int32(x), y: Int32(y), mark: mark))
    }

    /// Sorts the strokes by row (a counting sort that keeps the order they were added in) and
    /// lists the verticals of each band; called once, when every stroke is in.
    mutating func index(height: Int) {
        self.height = height
        (horizontals, horizontalStart) = Self.byRow(horizontals, height: height) { Int($0.at) }
        (marks, markStart) = Self.byRow(marks, height: height) { Int($0.y) }
        let bands = height / Self.band + 1
        var counts = [Int](repeating: 0, count: bands + 1)
        for stroke in verticals {
            for b in Int(stroke.from) / Self.band...Int(stroke.to) / Self.band { counts[b + 1] += 1 }
        }
        for b in 0..<bands { counts[b + 1] += counts[b] }
        var next = counts
        var list = [Int32](repeating: 0, count: counts[bands])
        for (i, stroke) in verticals.enumerated() {
            for b in Int(stroke.from) / Self.band...Int(stroke.to) / Self.band {
                list[next[b]] = Int32(i)
                next[b] += 1
            }
        }
        bandStart = counts
        bandList = list
    }

    private static func byRow<T>(_ items: [T], height: Int, row: (T) -> Int) -> ([T], [Int]) {
        var start = [Int](repeating: 0, count: height + 2)
        for item in items { start[row(item) + 1] += 1 }
        for y in 0...height { start[y + 1] += start[y] }
        var next = start
        var sorted = items
        for item in items {
            sorted[next[row(item)]] = item
            next[row(item)] += 1
        }
        return (sorted, start)
    }

    /// Paints every stroke and mark that reaches the canvas's window: horizontals, then
    /// verticals, then marks, each in the order they were added.
    func paint(into canvas: inout LineageCanvas) {
        let (left, right) = (canvas.left, canvas.left + canvas.width - 1)
        let (top, bottom) = (canvas.top, canvas.top + canvas.height - 1)
        guard canvas.width > 0, canvas.height > 0, top >= 0, top < height else { return }
        let lastRow = min(bottom, height - 1)
        for y in top...lastRow {
            for stroke in horizontals[horizontalStart[y]..<horizontalStart[y + 1]]
            where Int(stroke.to) >= left && Int(stroke.from) <= right {
                canvas.horizontal(y: y, from: Int(stroke.from), to: Int(stroke.to), owner: Int(stroke.owner))
            }
        }
        for b in (top / Self.band)...(lastRow / Self.band) {
            for i in bandList[bandStart[b]..<bandStart[b + 1]] {
                let stroke = verticals[Int(i)]
                // Painted once, in the first band of the window it reaches.
                guard Int(stroke.at) >= left, Int(stroke.at) <= right, Int(stroke.to) >= top, Int(stroke.from) <= bottom,
                    max(Int(stroke.from), top) / Self.band == b
                else { continue }
                canvas.vertical(x: Int(stroke.at), from: Int(stroke.from), to: Int(stroke.to), owner: Int(stroke.owner))
            }
        }
        for y in top...lastRow {
            for mark in marks[markStart[y]..<markStart[y + 1]] { canvas.mark(mark.mark, x: Int(mark.x), y: y) }
        }
    }
}
