/// Where things go on a screen of a given size: header, panes, status line, footer.
///
/// Shared by the update function (page sizes, which rows to load) and the renderer.
public struct ScreenLayout: Sendable {
    /// Below this the browser only says the terminal is too small.
    public static let minimum = TerminalSize(width: 40, height: 8)

    /// The whole screen.
    public let size: TerminalSize

    /// Lays out a screen.
    public init(size: TerminalSize) {
        self.size = size
    }

    /// Whether the screen is below the minimum.
    public var isTooSmall: Bool {
        size.width < Self.minimum.width || size.height < Self.minimum.height
    }

    /// The row under the header and above the status line, where panes and views go.
    var body: Rect { Rect(x: 0, y: 1, width: size.width, height: max(0, size.height - 3)) }

    /// Panes on screen for a focus, left to right: as many as fit (about 36 columns each),
    /// always the focused one, and the one right of it as a preview when there is room.
    func panes(focus: Pane) -> [(pane: Pane, rect: Rect)] {
        let count = min(4, max(1, size.width / 36))
        let last = min(3, count >= 2 ? focus.rawValue + 1 : focus.rawValue)
        let first = max(0, last - count + 1)
        let shown = (first...min(3, first + count - 1)).compactMap(Pane.init(rawValue:))
        let totalWeight = shown.reduce(0) { $0 + $1.weight }
        var x = 0
        var result: [(Pane, Rect)] = []
        for (offset, pane) in shown.enumerated() {
            let width = offset == shown.count - 1 ? size.width - x : size.width * pane.weight / totalWeight
            result.append((pane, Rect(x: x, y: body.y, width: width, height: body.height)))
            x += width
        }
        return result
    }

    /// Rows a list pane shows (inside the border, under the column headings).
    var listHeight: Int { max(1, body.height - 3) }

    /// Rows of text the detail pane shows.
    var detailHeight: Int { max(1, body.height - 2) }
}
