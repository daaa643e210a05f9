/// A painted part of a drawing: what the browser shows, cell by cell.
extension LineageDrawing {
    /// The cells of a window onto the drawing, addressed in the drawing's coordinates; cells
    /// outside it read as blank.
    public struct Window: Sendable {
        let canvas: LineageCanvas
        let glyphs: LineageGlyphs

        /// The character of a cell (`nil` for the right half of a wide character). With
        /// `horizontalOnTop`, a crossing shows its horizontal line: for a highlighted edge that
        /// passes it horizontally.
        public func character(x: Int, y: Int, horizontalOnTop: Bool = false) -> Character? {
            canvas.character(x: x, y: y, glyphs: glyphs, horizontalOnTop: horizontalOnTop)
        }

        /// Whether a cell is part of a label.
        public func isText(x: Int, y: Int) -> Bool {
            switch canvas[x, y].mark {
            case .text, .continuation: return true
            default: return false
            }
        }

        /// Whether a cell is a crossing of two lines that do not meet.
        public func isCrossing(x: Int, y: Int) -> Bool { canvas.isCrossing(x: x, y: y) }
    }
}
