/// The four panes of the browser, left to right.
public enum Pane: Int, CaseIterable, Sendable {
    case projects, artifacts, versions, detail

    /// The pane's title in its border and in the header tabs.
    public var title: String {
        switch self {
        case .projects: return "Projects"
        case .artifacts: return "Artifacts"
        case .versions: return "Versions"
        case .detail: return "Detail"
        }
    }

    /// How much of the width the pane gets relative to the others on screen.
    var weight: Int {
        switch self {
        case .projects: return 2
        case .artifacts: return 2
        case .versions: return 6
        case .detail: return 3
        }
    }
}

/// The terminal's size in columns and rows.
public struct TerminalSize: Hashable, Sendable {
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    /// Creates a size.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// A rectangle on the screen.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    /// The rectangle shrunk by `by` on every side.
    func inset(_ by: Int) -> Rect {
        Rect(x: x + by, y: y + by, width: max(0, width - 2 * by), height: max(0, height - 2 * by))
    }
}
