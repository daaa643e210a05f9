/// Draws a `BrowserState` into a `ScreenGrid`: header, panes, status line, footer, and whatever
/// dialog or view is open. Formats only what is on screen.
public enum BrowserRenderer {
    /// The whole screen for a state.
    public static func render(_ state: BrowserState) -> ScreenGrid {
        var grid = ScreenGrid(width: state.size.width, height: state.size.height)
        let layout = ScreenLayout(size: state.size)
        let glyphs = Glyphs.for(unicode: state.unicode)
        if layout.isTooSmall {
            drawTooSmall(into: &grid)
            return grid
        }
        drawHeader(state, into: &grid, glyphs: glyphs)
        switch state.modal {
        case .lineage(let view)?:
            LineageView.draw(view, into: &grid, rect: layout.body, glyphs: glyphs)
        case .cache(let view)?:
            CacheView.draw(view, into: &grid, rect: layout.body, glyphs: glyphs)
        case .diff(let view)?:
            DiffView.draw(view, into: &grid, rect: layout.body, glyphs: glyphs)
        case .search(let view)?:
            SearchView.draw(view, into: &grid, rect: layout.body, glyphs: glyphs, timeZone: state.timeZone)
        default:
            var measured: [Pane: [Int]] = [:]
            for (pane, rect) in state.paneRects(measured: &measured) {
                drawPane(pane, state, into: &grid, rect: rect, glyphs: glyphs, widths: measured[pane])
            }
        }
        drawStatus(state, into: &grid, y: state.size.height - 2)
        drawFooter(state, into: &grid, y: state.size.height - 1)
        switch state.modal {
        case .help(let scroll)?: HelpView.draw(scroll: scroll, into: &grid, glyphs: glyphs)
        case .aliasInput(let d)?: DialogView.draw(.aliasInput(d), into: &grid, glyphs: glyphs)
        case .aliasMove(let d)?: DialogView.draw(.aliasMove(d), into: &grid, glyphs: glyphs)
        case .aliasRemove(let d)?: DialogView.draw(.aliasRemove(d), into: &grid, glyphs: glyphs)
        case .description(let d)?: DescriptionEditorView.draw(d, into: &grid, glyphs: glyphs)
        case .metadata(let d)?: DialogView.draw(.metadata(d), into: &grid, glyphs: glyphs)
        case .commandLine(let line)?: CommandLineView.draw(line, into: &grid, glyphs: glyphs)
        case .delete(let d)?: DialogView.draw(.delete(d), into: &grid, glyphs: glyphs)
        case .prune(let d)?: DialogView.draw(.prune(d), into: &grid, glyphs: glyphs)
        case .lineage?, .cache?, .diff?, .search?, nil: break
        }
        return grid
    }

    /// What an empty list says while the store cannot be reached: it is not known to be empty.
    public static func unreachableHint(_ state: BrowserState) -> String {
        "\(state.storeNoun) unreachable: r reconnects"
    }

    /// `terminal too small: 20x5 (need 40x8)`, wrapped onto the rows there are.
    static func drawTooSmall(into grid: inout ScreenGrid) {
        let need = ScreenLayout.minimum
        let message = "terminal too small: \(grid.width)x\(grid.height) (need \(need.width)x\(need.height))"
        let lines = DetailPaneView.wrap(message, width: max(1, grid.width))
        for (row, line) in lines.prefix(grid.height).enumerated() {
            let isLastShown = row == grid.height - 1 && lines.count > grid.height
            grid.cell(isLastShown ? line + "…" : line, x: 0, y: row, width: grid.width, role: .warning)
        }
    }

    static func drawHeader(_ state: BrowserState, into grid: inout ScreenGrid, glyphs: Glyphs) {
        grid.fill(x: 0, y: 0, width: grid.width, height: 1, role: .header)
        var x = grid.put(" arttui ", x: 0, y: 0, role: .headerFocus)
        for pane in Pane.allCases {
            let focused = pane == state.focus && state.modal?.isFullScreen != true
            x += grid.put(" \(pane.rawValue + 1) \(pane.title) ", x: x + 1, y: 0, role: focused ? .headerFocus : .header) + 1
        }
        let loading = state.loadsInFlight > 0 ? BusyTask(label: "loading", cancellable: false) : nil
        if let task = state.busy.sorted(by: { $0.key < $1.key }).first?.value ?? loading {
            let frame = glyphs.spinner[state.spinnerFrame % glyphs.spinner.count]
            let text = "\(frame) \(task.label)" + (task.cancellable ? " (Esc cancels)" : "") + " "
            let width = min(DisplayWidth.width(of: text), max(0, grid.width - x - 1))
            grid.cell(text, x: grid.width - width, y: 0, width: width, role: .spinner)
        }
    }

    static func drawPane(_ pane: Pane, _ state: BrowserState, into grid: inout ScreenGrid, rect: Rect, glyphs: Glyphs,
                         widths: [Int]?) {
        let focused = pane == state.focus
        grid.box(rect, title: title(of: pane, state), glyphs: glyphs, role: focused ? .borderFocus : .border,
                 titleRole: focused ? .headerFocus : .title)
        let inner = rect.inset(1)
        guard inner.width > 0, inner.height > 0 else { return }
        switch pane {
        case .projects: ProjectsPaneView.draw(state, into: &grid, rect: inner, focused: focused, widths: widths)
        case .artifacts: ArtifactsPaneView.draw(state, into: &grid, rect: inner, focused: focused, widths: widths)
        case .versions: VersionsPaneView.draw(state, into: &grid, rect: inner, focused: focused, widths: widths)
        case .detail: DetailPaneView.draw(state, into: &grid, rect: inner, focused: focused)
        }
        drawPaneFooter(pane, state, into: &grid, rect: rect, glyphs: glyphs)
    }

    /// `2 Artifacts · capsule-gpt`: the number, the name, and what the pane shows the content of.
    static func title(of pane: Pane, _ state: BrowserState) -> String {
        let title = "\(pane.rawValue + 1) \(pane.title)"
        switch pane {
        case .artifacts: return title + (state.selectedProject.map { " · \($0.name)" } ?? "")
        case .versions: return title + (state.selectedArtifact.map { " · \($0.name)" } ?? "")
        case .detail: return title + (state.selectedVersion.map { " · \($0.versionName)" } ?? "")
        case .projects: return title
        }
    }

    /// The bottom border carries the filter and the position (`12/100,000`).
    static func drawPaneFooter(_ pane: Pane, _ state: BrowserState, into grid: inout ScreenGrid, rect: Rect, glyphs: Glyphs) {
        let y = rect.y + rect.height - 1
        let count = state.rowCount(pane)
        var right = ""
        if pane != .detail, count > 0 {
            let cursor = state.position(pane).cursor + 1
            right = " \(Formatting.count(cursor))/\(Formatting.count(count)) "
        }
        let rightWidth = DisplayWidth.width(of: right)
        if rightWidth > 0, rect.width > rightWidth + 4 {
            grid.put(right, x: rect.x + rect.width - 1 - rightWidth, y: y, role: .dim)
        }
        if let filter = state.filters[pane] {
            let text = " /" + filter.query.text + (filter.editing ? glyphs.cursor : "") + " "
            grid.put(text, x: rect.x + 2, y: y, role: .match, maxWidth: max(0, rect.width - rightWidth - 4))
        }
    }

    static func drawStatus(_ state: BrowserState, into grid: inout ScreenGrid, y: Int) {
        grid.fill(x: 0, y: y, width: grid.width, height: 1, role: .status)
        let left = " \(state.storePath) │ \(state.selectionLabel) "
        let leftText = state.unicode ? left : left.replacingOccurrences(of: "│", with: "|")
        let available = grid.width
        guard let status = state.status else {
            grid.cell(leftText, x: 0, y: y, width: available, role: .status)
            return
        }
        let role: StyleRole = status.kind == .danger ? .danger : status.kind == .success ? .success : .status
        // The outcome matters more than the path: it gets the room it needs, the path the rest.
        let messageWidth = min(available, DisplayWidth.width(of: status.text) + 2)
        let pathWidth = max(0, available - messageWidth)
        grid.cell(leftText, x: 0, y: y, width: pathWidth, role: .status)
        grid.cell(" " + status.text, x: pathWidth, y: y, width: available - pathWidth, role: role)
    }

    static func drawFooter(_ state: BrowserState, into grid: inout ScreenGrid, y: Int) {
        let context = state.modal?.context ?? (state.filters[state.focus]?.editing == true ? .dialog : .browse)
        var x = 0
        for (key, hint) in KeyMap.hints(for: context) {
            let keyWidth = DisplayWidth.width(of: key)
            let hintWidth = DisplayWidth.width(of: hint)
            guard x + keyWidth + 1 + hintWidth <= grid.width else { break }
            x += grid.put(key, x: x, y: y, role: .key)
            x += grid.put(" " + hint + "  ", x: x, y: y, role: .dim)
        }
    }

}

import Foundation
