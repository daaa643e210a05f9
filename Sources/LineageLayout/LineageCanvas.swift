/// A grid of characters where lines are drawn as connections, so crossing and joining lines become
/// the right box-drawing character (`┼`, `├`, `┐`…) or `+` in ASCII.
struct LineageCanvas {
    private struct Cell {
        var connections: UInt8 = 0
        var text: Character?
    }

    private static let up: UInt8 = 1, down: UInt8 = 2, left: UInt8 = 4, right: UInt8 = 8
    private var cells: [[Cell]]
    let ascii: Bool

    init(width: Int, height: Int, ascii: Bool) {
        cells = Array(repeating: Array(repeating: Cell(), count: max(0, width)), count: max(0, height))
        self.ascii = ascii
    }

    /// Writes text at a position; it hides any line under it.
    mutating func write(_ text: String, row: Int, column: Int) {
        for (offset, character) in text.enumerated() { cells[row][column + offset].text = character }
    }

    /// A horizontal line between two columns (inclusive) on a row.
    mutating func horizontal(row: Int, from start: Int, to end: Int) {
        let (low, high) = (min(start, end), max(start, end))
        guard low < high else { return }
        for column in low...high {
            if column > low { cells[row][column].connections |= Self.left }
            if column < high { cells[row][column].connections |= Self.right }
        }
    }

    /// A vertical line between two rows (inclusive) in a column.
    mutating func vertical(column: Int, from start: Int, to end: Int) {
        let (low, high) = (min(start, end), max(start, end))
        guard low < high else { return }
        for row in low...high {
            if row > low { cells[row][column].connections |= Self.up }
            if row < high { cells[row][column].connections |= Self.down }
        }
    }

    /// The canvas as lines, trailing spaces removed.
    var lines: [String] {
        cells.map { row in
            var line = String(row.map { $0.text ?? character(for: $0.connections) })
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    private func character(for connections: UInt8) -> Character {
        let vertical = connections & (Self.up | Self.down) != 0
        let horizontal = connections & (Self.left | Self.right) != 0
        if ascii {
            switch (vertical, horizontal) {
            case (false, false): return " "
            case (false, true): return "-"
            case (true, false): return "|"
            case (true, true): return "+"
            }
        }
        switch connections {
        case 0: return " "
        case Self.left, Self.right, Self.left | Self.right: return "─"
        case Self.up, Self.down, Self.up | Self.down: return "│"
        case Self.down | Self.right: return "┌"
        case Self.down | Self.left: return "┐"
        case Self.up | Self.right: return "└"
        case Self.up | Self.left: return "┘"
        case Self.up | Self.down | Self.right: return "├"
        case Self.up | Self.down | Self.left: return "┤"
        case Self.left | Self.right | Self.down: return "┬"
        case Self.left | Self.right | Self.up: return "┴"
        default: return "┼"
        }
    }
}
