/// The selected row of a list and the first row on screen.
public struct ListPosition: Hashable, Sendable {
    /// Index of the selected row.
    public var cursor = 0
    /// Index of the first visible row.
    public var top = 0

    /// Creates a position at the top.
    public init(cursor: Int = 0, top: Int = 0) {
        self.cursor = cursor
        self.top = top
    }

    /// Moves the cursor by `delta` rows, keeping it inside `count` and visible in `height` rows.
    mutating func move(by delta: Int, count: Int, height: Int) {
        cursor = cursor + delta
        clamp(count: count, height: height)
    }

    /// Puts the cursor on `row` and scrolls so it is visible.
    mutating func select(_ row: Int, count: Int, height: Int) {
        cursor = row
        clamp(count: count, height: height)
    }

    /// Keeps cursor and scroll valid after the list or the screen changed.
    mutating func clamp(count: Int, height: Int) {
        guard count > 0 else {
            cursor = 0
            top = 0
            return
        }
        cursor = min(max(cursor, 0), count - 1)
        let rows = max(1, height)
        if cursor < top { top = cursor }
        if cursor >= top + rows { top = cursor - rows + 1 }
        top = min(max(0, top), max(0, count - rows))
    }

    /// Indices of rows on screen.
    func visibleRange(count: Int, height: Int) -> Range<Int> {
        let start = min(max(0, top), count)
        return start..<min(count, start + max(0, height))
    }
}
