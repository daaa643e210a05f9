/// The R0 check of LINEAGE-RULES on a text picture: from a node's first line cell, walk right, up
/// and down (never left) through facing arms; a `│` entered from the side is a crossing and is
/// passed straight through. Returns the labels of the nodes whose arrowheads the walk reaches.
///
/// It reads only the characters, so it judges what a reader sees, not what the renderer meant.
public struct LineageWalk {
    let grid: [[Character]]
    /// Label → (row, column) where it starts.
    public let labels: [String: (row: Int, column: Int)]

    /// Reads a picture and finds each label in it (the last place it stands whole).
    public init(lines: [String], labels: [String]) {
        let width = lines.map(\.count).max() ?? 0
        grid = lines.map { Array($0) + Array(repeating: " ", count: width - $0.count) }
        var found: [String: (Int, Int)] = [:]
        for label in labels {
            for (row, line) in grid.enumerated() {
                let text = String(line)
                // A label ends at a space or the end of the line, so `run s1` does not match `run s10`.
                var search = text.startIndex
                while let range = text.range(of: label, range: search..<text.endIndex) {
                    let endsWell = range.upperBound == text.endIndex || text[range.upperBound] == " "
                    if endsWell { found[label] = (row, text.distance(from: text.startIndex, to: range.lowerBound)) }
                    search = text.index(after: range.lowerBound)
                }
            }
        }
        self.labels = found
    }

    private static let up: UInt8 = 1, down: UInt8 = 2, left: UInt8 = 4, right: UInt8 = 8

    private func arms(_ c: Character) -> UInt8 {
        switch c {
        case "─", "-": return Self.left | Self.right
        case "│", "|": return Self.up | Self.down
        case "╭", "┌": return Self.down | Self.right
        case "╮", "┐": return Self.down | Self.left
        case "╰", "└": return Self.up | Self.right
        case "╯", "┘": return Self.up | Self.left
        case "├": return Self.up | Self.down | Self.right
        case "┤": return Self.up | Self.down | Self.left
        case "┬": return Self.left | Self.right | Self.down
        case "┴": return Self.left | Self.right | Self.up
        case "┼", "+": return 15
        case ".": return Self.down | Self.left | Self.right
        case "'": return Self.up | Self.left | Self.right
        case "▶", ">": return Self.left
        default: return 0
        }
    }

    private func at(_ row: Int, _ column: Int) -> Character {
        guard row >= 0, row < grid.count, column >= 0, column < grid[row].count else { return " " }
        return grid[row][column]
    }

    /// The labels reached from `label`'s line.
    public func successors(of label: String) -> Set<String> {
        guard let start = labels[label] else { return ["<no label \(label)>"] }
        let row = start.row
        // A node's line starts one space after its label; anything else there is not its line.
        let column = start.column + label.count + 1
        guard at(row, column - 1) == " ", arms(at(row, column)) & Self.left != 0 else { return [] }
        var reached = Set<String>()
        var seen = Set<[Int]>()
        // (row, column, direction moved into the cell): 0 right, 1 up, 2 down.
        var queue: [(Int, Int, Int)] = [(row, column, 0)]
        while let (r, c, moved) = queue.popLast() {
            guard seen.insert([r, c, moved]).inserted else { continue }
            let glyph = at(r, c)
            if glyph == "▶" || glyph == ">" {
                reached.insert(target(arrowRow: r, arrowColumn: c))
                continue
            }
            var out = arms(glyph)
            if glyph == "│" || glyph == "|" {
                // A vertical entered from the side is a crossing: straight on, never onto the vertical.
                out = moved == 0 ? Self.right : Self.up | Self.down
            }
            if out & Self.right != 0, arms(at(r, c + 1)) & Self.left != 0 || isVertical(at(r, c + 1)) {
                queue.append((r, c + 1, 0))
            }
            if out & Self.up != 0, moved != 2, arms(at(r - 1, c)) & Self.down != 0 { queue.append((r - 1, c, 1)) }
            if out & Self.down != 0, moved != 1, arms(at(r + 1, c)) & Self.up != 0 { queue.append((r + 1, c, 2)) }
        }
        return reached
    }

    private func isVertical(_ c: Character) -> Bool { c == "│" || c == "|" }

    /// The label an arrowhead points at: the next text on its row, or after a bracket on the
    /// bracket's first row.
    private func target(arrowRow: Int, arrowColumn: Int) -> String {
        var row = arrowRow
        if at(row, arrowColumn + 1) != " " {
            while !["┐", "."].contains(at(row, arrowColumn + 1)), row > 0 { row -= 1 }
        }
        var column = arrowColumn + 2
        while at(row, column) == " ", column < arrowColumn + 4 { column += 1 }
        return labels.first { $0.value.row == row && $0.value.column == column }?.key ?? "<nothing at \(row),\(column)>"
    }
}
