/// The cells of a lineage drawing. A line cell keeps the arms of the structure that owns it; a
/// second structure may only cross it at right angles, and then the cell is a crossing (drawn as
/// the vertical, `─│─`), which connects nothing. Text, arrowheads and brackets sit on top.
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

    let width: Int
    let height: Int
    private(set) var cells: [Cell]
    /// Label characters by cell index.
    private(set) var text: [Int: Character] = [:]

    init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    subscript(x: Int, y: Int) -> Cell { cells[y * width + x] }

    /// Adds arms for a structure. A structure whose arms run at right angles to the owner's crosses;
    /// a line running on in the same direction (a long edge leaving one channel for the next) joins.
    mutating func add(_ arms: UInt8, x: Int, y: Int, owner: Int) {
        guard x >= 0, x < width, y >= 0, y < height, arms != 0 else { return }
        let index = y * width + x
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

    /// A horizontal line from `start` to `end` (inclusive) on a row.
    mutating func horizontal(y: Int, from start: Int, to end: Int, owner: Int) {
        guard start < end else { return }
        for x in start...end {
            add((x > start ? Arms.left : 0) | (x < end ? Arms.right : 0), x: x, y: y, owner: owner)
        }
    }

    /// A vertical line from `top` to `bottom` (inclusive) in a column.
    mutating func vertical(x: Int, from top: Int, to bottom: Int, owner: Int) {
        guard top < bottom else { return }
        for y in top...bottom {
            add((y > top ? Arms.up : 0) | (y < bottom ? Arms.down : 0), x: x, y: y, owner: owner)
        }
    }

    mutating func mark(_ mark: Mark, x: Int, y: Int) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        cells[y * width + x].mark = mark
    }

    /// Writes one character of a label.
    mutating func write(_ character: Character, x: Int, y: Int) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        cells[y * width + x].mark = .text
        text[y * width + x] = character
    }

    /// Whether the cell is a crossing of two structures.
    func isCrossing(x: Int, y: Int) -> Bool { self[x, y].crossArms != 0 }

    /// The character of a cell; `horizontalOnTop` shows a crossing's horizontal instead (when the
    /// horizontal line is the highlighted one). A wide character's right half is `nil`.
    func character(x: Int, y: Int, glyphs: LineageGlyphs, horizontalOnTop: Bool = false) -> Character? {
        let cell = self[x, y]
        switch cell.mark {
        case .text: return text[y * width + x] ?? " "
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
