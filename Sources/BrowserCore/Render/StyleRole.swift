/// What a cell means on screen; themes map each role to colours and attributes.
public enum StyleRole: String, CaseIterable, Sendable {
    /// Ordinary text.
    case normal
    /// Secondary text: sizes, dates, hints.
    case dim
    /// The header bar.
    case header
    /// The focused pane's tab in the header and its title.
    case headerFocus
    /// Pane borders.
    case border
    /// The focused pane's border.
    case borderFocus
    /// Pane titles and column headings.
    case title
    /// A group heading inside a list (artifact type).
    case group
    /// The selected row of the focused pane.
    case selected
    /// The selected row of a pane without focus.
    case selectedInactive
    /// An alias badge.
    case badge
    /// The `latest` badge.
    case badgeLatest
    /// Text that matches the filter.
    case match
    /// The status line.
    case status
    /// A successful outcome in the status line.
    case success
    /// Errors and destructive choices.
    case danger
    /// Warnings: an alias that will move, a pending version.
    case warning
    /// Key names in the footer and help.
    case key
    /// Dialog body.
    case dialog
    /// Dialog border and title.
    case dialogBorder
    /// A focused button.
    case buttonFocus
    /// A text input.
    case input
    /// The progress spinner.
    case spinner
    /// A run node in the lineage view.
    case nodeRun
    /// An artifact version node in the lineage view.
    case nodeVersion
    /// Lineage edges.
    case edge
    /// The edges of the selected lineage node.
    case edgeFocus
}
