import ArtifactStore

/// `F`: a `find --where` search over the whole store; Enter on a result jumps to it.
extension Browser {
    static func searchKey(_ state: inout BrowserState, _ view: SearchViewState, _ key: Key) -> [Effect] {
        var view = view
        let action = KeyMap.action(for: key, in: .search)
        // In the list, j and k move as everywhere else.
        let listAction: Action? = !view.editing && key == .char("j") ? .moveDown
            : !view.editing && key == .char("k") ? .moveUp : action
        switch listAction {
        case .cancel?:
            return closeDialog(&state)
        case .nextField?:
            view.editing.toggle()
            if view.results?.isEmpty != false { view.editing = true }
        case .moveUp?, .moveDown?:
            let height = max(1, ScreenLayout(size: state.size).body.height - 5)
            view.position.move(by: listAction == .moveUp ? -1 : 1, count: view.results?.count ?? 0, height: height)
            view.editing = false
        case .confirm?:
            if view.editing || view.searched != view.field.text || view.results == nil {
                return runSearch(&state, view)
            }
            return jump(&state, to: view)
        default:
            guard view.editing, view.field.edit(key) else { return [] }
            view.error = nil
        }
        state.modal = .search(view)
        return []
    }

    /// Parses the expression here, so a mistake is shown at once with its caret; then asks the store.
    private static func runSearch(_ state: inout BrowserState, _ view: SearchViewState) -> [Effect] {
        var view = view
        do {
            let search = try BrowserSearch(expression: view.field.text, limit: SearchViewState.limit)
            view.error = nil
            view.failure = nil
            let ticket = begin(&state, "searching", cancellable: true)
            view.pendingTicket = ticket
            view.searched = view.field.text
            state.modal = .search(view)
            return [.search(ticket: ticket, search: search)]
        } catch let error as QueryError {
            view.error = error
        } catch {
            view.failure = String(describing: error)
        }
        state.modal = .search(view)
        return []
    }

    private static func jump(_ state: inout BrowserState, to view: SearchViewState) -> [Effect] {
        guard let results = view.results, results.indices.contains(view.position.cursor),
            let index = results[view.position.cursor].index
        else { return [] }
        let version = results[view.position.cursor]
        state.modal = nil
        let ticket = begin(&state, "finding \(version.name):\(version.versionName)", cancellable: true)
        return [.locateVersion(ticket: ticket, key: ArtifactKey(project: version.project, artifact: version.name), index: index)]
    }

    static func searchFinished(_ state: inout BrowserState, _ ticket: Int, _ result: Result<[ArtifactVersion], StoreFailure>)
        -> [Effect]
    {
        guard finish(&state, ticket), case .search(var view) = state.modal, view.pendingTicket == ticket else { return [] }
        view.pendingTicket = nil
        switch result {
        case .success(let versions):
            view.results = versions
            view.position = ListPosition()
            view.editing = versions.isEmpty
        case .failure(let failure):
            view.failure = failure.message
        }
        state.modal = .search(view)
        return []
    }
}
