/// What each list pane needs to show its columns with names whole, for `ScreenLayout.panes`.
extension BrowserState {
    /// Panes on screen and where, their widths following their content.
    public var paneRects: [(pane: Pane, rect: Rect)] {
        ScreenLayout(size: size).panes(focus: focus) { pane in
            let columns: Int
            switch pane {
            case .projects: columns = TableLayout.neededWidth(ProjectsPaneView.widths(self))
            case .artifacts: columns = TableLayout.neededWidth(ArtifactsPaneView.widths(self))
            case .versions: columns = TableLayout.neededWidth(VersionsPaneView.widths(self))
            case .detail: return ScreenLayout.restMinimum
            }
            // Two borders; the title sits in the top border after two columns, between spaces.
            let title = DisplayWidth.width(of: BrowserRenderer.title(of: pane, self)) + 6
            return max(columns + 2, title)
        }
    }
}
