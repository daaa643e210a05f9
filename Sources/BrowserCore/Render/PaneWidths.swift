/// What each list pane needs to show its columns with names whole, for `ScreenLayout.panes`.
extension BrowserState {
    /// Panes on screen and where, their widths following their content.
    public var paneRects: [(pane: Pane, rect: Rect)] {
        var measured: [Pane: [Int]] = [:]
        return paneRects(measured: &measured)
    }

    /// Panes on screen and where; `measured` collects the column widths measured on the way, so
    /// drawing the panes does not measure them again.
    func paneRects(measured: inout [Pane: [Int]]) -> [(pane: Pane, rect: Rect)] {
        ScreenLayout(size: size).panes(focus: focus) { pane in
            let widths: [Int]
            switch pane {
            case .projects: widths = ProjectsPaneView.widths(self)
            case .artifacts: widths = ArtifactsPaneView.widths(self)
            case .versions: widths = VersionsPaneView.widths(self)
            case .detail: return ScreenLayout.restMinimum
            }
            measured[pane] = widths
            // Two borders; the title sits in the top border after two columns, between spaces.
            let title = DisplayWidth.width(of: BrowserRenderer.title(of: pane, self)) + 6
            return max(TableLayout.neededWidth(widths) + 2, title)
        }
    }
}
