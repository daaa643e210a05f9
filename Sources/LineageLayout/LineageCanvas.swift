/// The cells of a window onto a lineage drawing (the whole of it for `arttui lineage`, a screenful
/// for the browser), addressed in the drawing's coordinates; what falls outside is left out. A line
/// cell keeps the arms of the structure that owns it; a second structure may only cross it at right
/// angles, and then the cell is a crossing (drawn as the vertical, `─│─`), which connects nothing.
/// Text, arrowheads and brackets sit on top.
struct LineageCanvas: Hashable, Sendable {
    enum Mark: UInt8, Hashable, Sendable {
        case none
        /// A character of a label (kept in `text`); wide characters are followed by a `continuation`.
        case text
        /// The right half of a wide character.
        case continuation
        case arrow, reverseArrow
        case bracketFirst, bracketMiddle, bracketLast
    }

    /// Eight bytes, as a big graph has millions of cells.
    struct Cell: Hashable, Sendable {
        var arms: UInt8 = 0
        /// Arms of a second structure crossing this one at right angles.
        var crossArms: UInt8 = 0
        var mark: Mark = .none
        var owner: Int32 = -1
    }

    /// The drawing's column and row of the window's top-left cell.
    let left: Int
    let top: Int
    let width: Int
    let height: Int
    private(set) var cells: [Cell]
    /// Label characters by cell index.
    private(set) var text: [Int: Character] = [:]

    init(left: Int = 0, top: Int = 0, width: Int, height: Int) {
        self.left = left
        self.top = top
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    /// The cell at a drawing position; outside the window, an empty one.
    subscript(x: Int, y: Int) -> Cell {
        guard let index = index(x, y) else { return Cell() }
        return cells[index]
    }

    private func index(_ x: Int, _ y: Int) -> Int? {
        let (column, row) = (x - left, y - top)
        guard column >= 0, column < width, row >= 0, row < height else { return nil }
        return row * width + column
    }

    /// Adds arms for a structure. A structure whose arms run at right angles to the owner's crosses;
    /// a line running on in the same direction (a long edge leaving one channel for the next) joins.
    mutating func add(_ arms: UInt8, x: Int, y: Int, owner: Int) {
        guard arms != 0, let index = index(x, y) else { return }
        var cell = cells[index]
        if cell.owner < 0 || cell.owner == Int32(owner) || cell.arms == 0 {
            cell.owner = Int32(owner)
            cell.arms |= arms
        } else {
            let ownerVertical = cell.arms & Arms.horizontal == 0
            let newVertical = arms & Arms.horizontal == 0
            let ownerHorizontal = cell.arms & Arms.vertical == 0
            let newHorizontal = arms & Arms.vertical == 0
            if (ownerVertical && newHorizontal) || (ownerHorizontal && newVertical) {
                if ownerHorizontal {
                    // The vertical owns a crossing cell; the horizontal passes under it.
                    cell.crossArms = cell.arms
                    cell.arms = arms
                    cell.owner = Int32(owner)
                } else {
                    cell.crossArms |= arms
                }
            } else {
                cell.arms |= arms
            }
        }
        cells[index] = cell
    }

    /// A horizontal line from `start` to `end` (inclusive) on a row, as far as the window shows it.
    mutating func horizontal(y: Int, from start: Int, to end: Int, owner: Int) {
        let (first, last) = (max(start, left), min(end, left + width - 1))
        guard start < end, first <= last, y >= top, y < top + height else { return }
        for x in first...last {
            add((x > start ? Arms.left : 0) | (x < end ? Arms.right : 0), x: x, y: y, owner: owner)
        }
    }

    /// A vertical line from `start` to `end` (inclusive) in a column, as far as the window shows it.
    mutating func vertical(x: Int, from start: Int, to end: Int, owner: Int) {
        let (first, last) = (max(start, top), min(end, top + height - 1))
        guard start < end, first <= last, x >= left, x < left + width else { return }
        for y in first...last {
            add((y > start ? Arms.up : 0) | (y < end ? Arms.down : 0), x: x, y: y, owner: owner)
        }
    }

    mutating func mark(_ mark: Mark, x: Int, y: Int) {
        guard let index = index(x, y) else { return }
        cells[index].mark = mark
    }

    /// Writes one character of a label.
    mutating func write(_ character: Character, x: Int, y: Int) {
        guard let index = index(x, y) else { return }
        cells[index].mark = .text
        text[index] = character
    }

    /// Whether the cell is a crossing of two structures.
    func isCrossing(x: Int, y: Int) -> Bool { self[x, y].crossArms != 0 }

    /// The character of a cell; `horizontalOnTop` shows a crossing's horizontal instead (when the
    /// horizontal line is the highlighted one). A wide character's right half is `nil`.
    func character(x: Int, y: Int, glyphs: LineageGlyphs, horizontalOnTop: Bool = false) -> Character? {
        let cell = self[x, y]
        switch cell.mark {
        case .text: return index(x, y).flatMap { text[$0] } ?? " "
        case .continuation: return nil
        case .arrow: return glyphs.arrow
        case .reverseArrow: return glyphs.reverseArrow
        case .bracketFirst: return glyphs.bracketFirst
        case .bracketMiddle: return glyphs.bracketMiddle
        case .bracketLast: return glyphs.bracketLast
        case .none:
            if cell.crossArms != 0 {
                let vertical = cell.arms & Arms.vertical != 0 ? cell.arms : cell.crossArms
                let horizontal = cell.arms & Arms.vertical != 0 ? cell.crossArms : cell.arms
                return glyphs.line(horizontalOnTop ? horizontal : vertical)
            }
            return glyphs.line(cell.arms)
        }
    }
}
