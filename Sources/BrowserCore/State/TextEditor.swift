/// A multi-line text buffer with a cursor, for the description editor.
///
/// Lines are kept as arrays of characters so the cursor is a plain (line, column) pair. Wrapping
/// is a matter of display (`WrappedText`); moving up and down follows the wrapped rows when the
/// update function passes the width the editor is drawn at.
public struct TextEditor: Hashable, Sendable {
    /// The logical lines, without their newlines.
    public private(set) var lines: [[Character]]
    /// The line the cursor is on.
    public private(set) var line = 0
    /// The cursor's position in its line, 0...count.
    public private(set) var column = 0
    /// The first wrapped row on screen; kept by `scroll(toShowCursorIn:)`.
    public var top = 0

    /// An editor holding `text`, the cursor at its end.
    public init(_ text: String = "") {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        line = lines.count - 1
        column = lines[line].count
    }

    /// The text, lines joined by newlines.
    public var text: String { lines.map { String($0) }.joined(separator: "\n") }

    /// Inserts text at the cursor; newlines in it start new lines (a paste of many lines).
    mutating func insert(_ text: String) {
        for character in text {
            if character == "\n" || character == "\r\n" || character == "\r" {
                newLine()
            } else if character == "\t" || !(character.unicodeScalars.first.map { $0.value < 0x20 } ?? false) {
                lines[line].insert(character == "\t" ? " " : character, at: column)
                column += 1
            }
        }
    }

    /// Splits the line at the cursor.
    mutating func newLine() {
        let rest = Array(lines[line][column...])
        lines[line].removeSubrange(column...)
        lines.insert(rest, at: line + 1)
        line += 1
        column = 0
    }

    /// Backspace: deletes before the cursor, joining lines at a line's start.
    mutating func deleteBackward() {
        if column > 0 {
            lines[line].remove(at: column - 1)
            column -= 1
        } else if line > 0 {
            column = lines[line - 1].count
            lines[line - 1] += lines[line]
            lines.remove(at: line)
            line -= 1
        }
    }

    /// Delete: deletes under the cursor, joining the next line at a line's end.
    mutating func deleteForward() {
        if column < lines[line].count {
            lines[line].remove(at: column)
        } else if line + 1 < lines.count {
            lines[line] += lines[line + 1]
            lines.remove(at: line + 1)
        }
    }

    /// ←: one character back, to the end of the line before at a line's start.
    mutating func moveLeft() {
        if column > 0 {
            column -= 1
        } else if line > 0 {
            line -= 1
            column = lines[line].count
        }
    }

    /// →: one character on, to the start of the next line at a line's end.
    mutating func moveRight() {
        if column < lines[line].count {
            column += 1
        } else if line + 1 < lines.count {
            line += 1
            column = 0
        }
    }

    /// Home and End: the start or end of the wrapped row the cursor is on.
    mutating func moveToRowEdge(end: Bool, width: Int) {
        let rows = WrappedText.rows(of: lines[line], width: width)
        let row = WrappedText.rowIndex(of: column, in: rows)
        // A row that wrapped ends on the space it broke at; End stops before that space.
        column = !end ? rows[row].start : row == rows.count - 1 ? rows[row].end : rows[row].end - 1
    }

    /// ↑ and ↓: the wrapped row above or below, at about the same column on screen.
    mutating func moveVertically(by delta: Int, width: Int) {
        let rows = WrappedText.rows(of: lines[line], width: width)
        let row = WrappedText.rowIndex(of: column, in: rows)
        let x = WrappedText.columns(lines[line][rows[row].start..<column])
        if delta < 0 {
            if row > 0 {
                column = WrappedText.offset(atColumn: x, in: lines[line], row: rows[row - 1])
            } else if line > 0 {
                line -= 1
                let above = WrappedText.rows(of: lines[line], width: width)
                column = WrappedText.offset(atColumn: x, in: lines[line], row: above[above.count - 1])
            }
        } else {
            if row + 1 < rows.count {
                column = WrappedText.offset(atColumn: x, in: lines[line], row: rows[row + 1])
            } else if line + 1 < lines.count {
                line += 1
                let below = WrappedText.rows(of: lines[line], width: width)
                column = WrappedText.offset(atColumn: x, in: lines[line], row: below[0])
            }
        }
    }

    /// The cursor's wrapped row counted from the top of the text, and its column on screen.
    func cursorPosition(width: Int) -> (row: Int, x: Int) {
        var row = 0
        for index in 0..<line { row += WrappedText.rows(of: lines[index], width: width).count }
        let rows = WrappedText.rows(of: lines[line], width: width)
        let inLine = WrappedText.rowIndex(of: column, in: rows)
        return (row + inLine, WrappedText.columns(lines[line][rows[inLine].start..<column]))
    }

    /// Scrolls so the cursor's row is among the `height` rows shown.
    mutating func scroll(toShowCursorIn height: Int, width: Int) {
        let row = cursorPosition(width: width).row
        if row < top { top = row }
        if row >= top + max(1, height) { top = row - max(1, height) + 1 }
    }
}

/// Where lines wrap: at the last space that fits, else wherever the width runs out. A row is a
/// range of character offsets in its line; the space it broke at stays at the row's end.
enum WrappedText {
    /// One wrapped row of a line.
    struct Row: Hashable {
        var start: Int
        var end: Int
    }

    /// The rows of one line at `width` columns (an empty line is one empty row).
    static func rows(of line: [Character], width: Int) -> [Row] {
        let width = max(2, width)
        var rows: [Row] = []
        var start = 0
        while start < line.count {
            var used = 0
            var end = start
            var lastSpace: Int?
            // The cursor may sit after the last character, so a row holds at most width - 1 columns.
            while end < line.count, used + DisplayWidth.width(of: line[end]) <= width - 1 {
                used += DisplayWidth.width(of: line[end])
                if line[end] == " " { lastSpace = end }
                end += 1
            }
            if end < line.count, let space = lastSpace, space > start { end = space + 1 }
            if end == start { end = start + 1 }
            rows.append(Row(start: start, end: end))
            start = end
        }
        return rows.isEmpty ? [Row(start: 0, end: 0)] : rows
    }

    /// The row a cursor offset belongs to: a row boundary belongs to the row it starts.
    static func rowIndex(of column: Int, in rows: [Row]) -> Int {
        rows.lastIndex { $0.start <= column } ?? 0
    }

    /// Display columns of some characters.
    static func columns(_ characters: ArraySlice<Character>) -> Int {
        characters.reduce(0) { $0 + DisplayWidth.width(of: $1) }
    }

    /// The offset in `row` nearest to display column `x`.
    static func offset(atColumn x: Int, in line: [Character], row: Row) -> Int {
        var used = 0
        var offset = row.start
        let last = row.end == line.count ? row.end : max(row.start, row.end - 1)
        while offset < last, used + DisplayWidth.width(of: line[offset]) <= x {
            used += DisplayWidth.width(of: line[offset])
            offset += 1
        }
        return offset
    }
}
