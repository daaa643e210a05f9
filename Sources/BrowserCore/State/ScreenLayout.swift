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

    /// How many panes are on screen: as many as fit at about 36 columns each, at most four.
    var paneCount: Int { min(4, max(1, size.width / 36)) }

    /// Whether pane widths follow their content (three panes or more), and names are then kept
    /// whole before other columns.
    var panesFollowContent: Bool { paneCount >= 3 }

    /// The narrowest the last pane on screen (the detail pane, or the preview of the one before)
    /// is made so that panes to its left can show their names whole.
    static let restMinimum = 36

    /// Panes on screen for a focus, left to right: as many as fit (about 36 columns each),
    /// always the focused one, and the one right of it as a preview when there is room.
    ///
    /// Two panes split the width by weight. From three panes on, widths follow the content: each
    /// pane but the last gets `contentWidth` (what its columns need, names whole) as long as the
    /// last keeps `restMinimum`, and the last takes the rest. When the content wants more than
    /// there is, each pane keeps at least the smaller of its wish and its share by weight, and
    /// what is left goes to the panes in proportion to what they still lack.
    func panes(focus: Pane, contentWidth: (Pane) -> Int) -> [(pane: Pane, rect: Rect)] {
        let shown = shownPanes(focus: focus)
        let widths = shown.count >= 3 ? fitted(shown, contentWidth: contentWidth) : weighted(shown)
        var x = 0
        var result: [(Pane, Rect)] = []
        for (pane, width) in zip(shown, widths) {
            result.append((pane, Rect(x: x, y: body.y, width: width, height: body.height)))
            x += width
        }
        return result
    }

    /// Which panes are on screen for a focus, left to right (see `panes`).
    func shownPanes(focus: Pane) -> [Pane] {
        let count = paneCount
        let last = min(3, count >= 2 ? focus.rawValue + 1 : focus.rawValue)
        let first = max(0, last - count + 1)
        return (first...min(3, first + count - 1)).compactMap(Pane.init(rawValue:))
    }

    /// Widths by weight, the last pane taking the rounding.
    private func weighted(_ shown: [Pane]) -> [Int] {
        let totalWeight = shown.reduce(0) { $0 + $1.weight }
        let leading = shown.dropLast().map { size.width * $0.weight / totalWeight }
        return leading + [size.width - leading.reduce(0, +)]
    }

    /// Widths that follow the content (see `panes`).
    private func fitted(_ shown: [Pane], contentWidth: (Pane) -> Int) -> [Int] {
        let shares = weighted(shown).dropLast()
        let wishes = shown.dropLast().map(contentWidth)
        let room = size.width - Self.restMinimum
        var widths: [Int]
        if wishes.reduce(0, +) <= room {
            widths = wishes
        } else {
            let floors = zip(wishes, shares).map { min($0, $1) }
            let spare = room - floors.reduce(0, +)
            guard spare >= 0 else { return weighted(shown) }
            let lacking = zip(wishes, floors).map { $0 - $1 }
            let totalLacking = max(1, lacking.reduce(0, +))
            widths = zip(floors, lacking).map { $0 + spare * $1 / totalLacking }
        }
        return widths + [size.width - widths.reduce(0, +)]
    }

    /// Rows a list pane shows (inside the border, under the column headings).
    var listHeight: Int { max(1, body.height - 3) }

    /// Rows of text the detail pane shows.
    var detailHeight: Int { max(1, body.height - 2) }
}
