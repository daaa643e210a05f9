/// One cell of the in-memory screen: a normalised grapheme, its width and its style role.
///
/// A wide character occupies its cell (`width == 2`) and the next one, which is a continuation
/// (`width == 0`) that the backend skips.
public struct Cell: Equatable, Sendable {
    /// The grapheme to draw, already normalised by `DisplayWidth.normalize`.
    public var character: Character
    /// 1, 2, or 0 for the right half of a wide character.
    public var width: UInt8
    /// What the cell means; the theme decides how it looks.
    public var role: StyleRole

    /// A blank cell of the given role.
    public static func blank(_ role: StyleRole = .normal) -> Cell {
        Cell(character: " ", width: 1, role: role)
    }
}

/// A rectangle of styled cells that the browser renders into and the terminal copies out.
public struct ScreenGrid: Equatable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Row-major cells.
    public private(set) var cells: [Cell]

    /// A grid of blank cells; negative sizes become 0.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank(), count: self.width * self.height)
    }

    /// The cell at a position, which must be inside the grid.
    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes text from (x, y), clipped at `x + maxWidth` and at the grid's edge. A wide
    /// character that does not fit whole is replaced by spaces. Returns the columns written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        for character in text {
            if column >= limit { break }
            let glyph: Character
            let w: Int
            if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F {
                glyph = character
                w = 1
            } else {
                glyph = DisplayWidth.normalize(character)
                w = DisplayWidth.width(of: glyph)
            }
            if w == 0 { continue }
            if column + w > limit {
                while column < limit {
                    set(x: column, y: y, Cell(character: " ", width: 1, role: role))
                    column += 1
                }
                break
            }
            if column >= 0 {
                set(x: column, y: y, Cell(character: glyph, width: UInt8(w), role: role))
                if w == 2 { set(x: column + 1, y: y, Cell(character: " ", width: 0, role: role)) }
            }
            column += w
        }
        return max(0, column - x)
    }

    /// Fills a rectangle with one character (blank by default) in a role.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, role: StyleRole, character: Character = " ") {
        for row in max(0, y)..<max(max(0, y), min(height, y + h)) {
            for column in max(0, x)..<max(max(0, x), min(width, x + w)) {
                set(x: column, y: row, Cell(character: character, width: 1, role: role))
            }
        }
    }

    /// Changes the role of cells in a row without changing their text.
    public mutating func restyle(x: Int, y: Int, width w: Int, role: StyleRole) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<max(max(0, x), min(width, x + w)) {
            cells[y * width + column].role = role
        }
    }

    /// The grid as text, one line a row, trailing spaces removed: what golden files hold.
    public var text: String {
        (0..<height).map(line).joined(separator: "\n")
    }

    /// One row as text, trailing spaces removed.
    public func line(_ y: Int) -> String {
        var out = ""
        for x in 0..<width {
            let cell = self[x, y]
            if cell.width > 0 { out.append(cell.character) }
        }
        while out.last == " " { out.removeLast() }
        return out
    }

    private mutating func set(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let index = y * width + x
        // Overwriting half of a wide character blanks its other half so no orphan remains.
        if cells[index].width == 2, x + 1 < width {
            cells[index + 1] = .blank(cells[index + 1].role)
        }
        if cells[index].width == 0, cell.width != 0, x > 0 {
            cells[index - 1] = .blank(cells[index - 1].role)
        }
        cells[index] = cell
    }
}
