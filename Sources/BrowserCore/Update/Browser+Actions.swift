import ArtifactStore

/// What the browse-mode actions of the key table do.
extension Browser {
    static func perform(_ state: inout BrowserState, _ action: Action) -> [Effect] {
        let page = ScreenLayout(size: state.size).listHeight
        switch action {
        case .moveUp: return move(&state, by: -1)
        case .moveDown: return move(&state, by: 1)
        case .pageUp: return move(&state, by: -page)
        case .pageDown: return move(&state, by: page)
        case .halfPageUp: return move(&state, by: -max(1, page / 2))
        case .halfPageDown: return move(&state, by: max(1, page / 2))
        case .moveTop: return jump(&state, toEnd: false)
        case .moveBottom: return jump(&state, toEnd: true)
        case .open:
            guard let next = Pane(rawValue: state.focus.rawValue + 1) else { return [] }
            return focus(&state, next)
        case .back:
            return back(&state)
        case .nextPane:
            return focus(&state, Pane(rawValue: (state.focus.rawValue + 1) % 4)!)
        case .previousPane:
            return focus(&state, Pane(rawValue: (state.focus.rawValue + 3) % 4)!)
        case .focusPane(let number):
            return focus(&state, Pane(rawValue: number - 1) ?? .projects)
        case .addAlias: return actOnVersion(&state, .addAlias)
        case .removeAlias: return actOnVersion(&state, .removeAlias)
        case .editDescription: return actOnVersion(&state, .editDescription)
        case .editDescriptionExternally: return actOnVersion(&state, .editDescriptionExternally)
        case .editMetadata: return actOnVersion(&state, .editMetadata)
        case .deleteVersion: return actOnVersion(&state, .delete)
        case .commandLine: return openCommandLine(&state)
        case .prune:
            return openPrune(&state)
        case .lineage:
            guard let version = requireVersion(&state) else { return [] }
            return openLineage(&state, version)
        case .cache:
            return openCache(&state)
        case .filter:
            return startFilter(&state)
        case .nextMatch, .previousMatch:
            return nextMatch(&state, forward: action == .nextMatch)
        case .reload:
            state.status = StatusMessage(state.storeUnreachable ? "reconnecting to \(state.storePath)…" : "reloaded from the \(state.storeNoun)")
            reload(&state)
        case .help:
            state.modal = .help(scroll: 0)
        case .quit:
            state.wantsQuit = true
            return [.quit]
        case .redraw:
            state.redrawRequested = true
        case .diff:
            return openDiff(&state)
        case .markVersion:
            markVersion(&state)
        case .search:
            state.modal = .search(SearchViewState())
        case .confirm, .cancel, .nextField, .previousField, .save, .cursorLeft, .cursorRight, .rowStart, .rowEnd,
            .newLine, .deleteBackward, .deleteForward, .removeKey, .complete, .historyBack, .historyForward,
            .deeper, .shallower, .panLeft, .panRight, .panUp, .panDown:
            break
        }
        return []
    }

    /// Esc, h, ←: first abandons work that may be abandoned, then clears the filter, then goes
    /// back a pane.
    static func back(_ state: inout BrowserState) -> [Effect] {
        let cancellable = state.busy.filter(\.value.cancellable).keys.sorted()
        if !cancellable.isEmpty {
            for ticket in cancellable { state.busy[ticket] = nil }
            state.status = StatusMessage("cancelled")
            return cancellable.map { .cancel(ticket: $0) }
        }
        if state.filters[state.focus] != nil {
            return cancelFilter(&state, state.focus)
        }
        if let previous = Pane(rawValue: state.focus.rawValue - 1) {
            state.focus = previous
        }
        return []
    }

    /// The selected version, or a status message saying to select one.
    static func requireVersion(_ state: inout BrowserState) -> ArtifactVersion? {
        if state.focus == .versions || state.focus == .detail, let version = state.selectedVersion {
            return version
        }
        state.status = StatusMessage("select a version first (Enter on an artifact, then j/k)")
        return nil
    }

    /// `P`: prune the selected artifact, or from the projects pane the whole project; `keepLast`
    /// fills the keep-last field (`:prune --keep-last N`).
    static func openPrune(_ state: inout BrowserState, keepLast: Int? = nil) -> [Effect] {
        guard let project = state.selectedProject?.name else {
            state.status = StatusMessage("select a project or an artifact to prune")
            return []
        }
        let artifact = state.focus == .projects ? nil : state.selectedArtifact?.name
        if state.focus != .projects, artifact == nil {
            state.status = StatusMessage("select an artifact to prune")
            return []
        }
        if refuseIfReadOnly(&state, project: project) { return [] }
        var dialog = PruneDialog(project: project, artifact: artifact)
        if let keepLast { dialog.keepLast = TextField(String(keepLast)) }
        state.modal = .prune(dialog)
        return previewPrune(&state)
    }

    /// Asks for the prune preview of the keep-last value typed.
    static func previewPrune(_ state: inout BrowserState) -> [Effect] {
        guard case .prune(var dialog) = state.modal, let keep = dialog.keepLastValue else { return [] }
        dialog.preview = nil
        dialog.previewKeepLast = nil
        state.modal = .prune(dialog)
        let ticket = begin(&state, "computing what prune frees", cancellable: true)
        return [.previewPrune(ticket: ticket, project: dialog.project, artifact: dialog.artifact, keepLast: keep)]
    }

    /// `C`: the cache view, measuring right away.
    static func openCache(_ state: inout BrowserState) -> [Effect] {
        var view = CacheViewState()
        let ticket = begin(&state, "measuring the cache", cancellable: true)
        view.pendingTicket = ticket
        state.modal = .cache(view)
        return [.measureCache(ticket: ticket)]
    }

    /// A viewer's change is refused before a dialog or an editor opens, in the server's words: typing a
    /// description only to have it refused at the end wastes the typing. The server still decides:
    /// access granted or taken away since the listing is answered by its own refusal.
    static func refuseIfReadOnly(_ state: inout BrowserState, project: String) -> Bool {
        guard state.projects?.first(where: { $0.name == project })?.isReadOnly == true else { return false }
        state.status = StatusMessage("permission denied: you may read but not write to project \(project)", .danger)
        return true
    }
}
