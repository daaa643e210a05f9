import ArtifactStore

/// Results of effects coming back from the worker.
extension Browser {
    static func handleResult(_ state: inout BrowserState, _ event: Event) -> [Effect] {
        switch event {
        case .projectsLoaded, .artifactsLoaded, .versionCountLoaded, .versionPageLoaded, .filesLoaded:
            state.loadsInFlight = max(0, state.loadsInFlight - 1)
        default:
            break
        }
        switch event {
        case let .projectsLoaded(generation, result):
            guard generation == state.generation else { return [] }
            state.projects = value(&state, result) ?? state.projects ?? []
            clamp(&state, .projects)
        case let .artifactsLoaded(generation, project, result):
            guard generation == state.generation else { return [] }
            state.artifacts[project] = value(&state, result) ?? state.artifacts[project] ?? []
            clamp(&state, .artifacts)
            if let jump = state.pendingJump, jump.key.project == project { applyJump(&state, jump) }
        case let .versionCountLoaded(generation, key, result):
            guard generation == state.generation else { return [] }
            state.versionLists[key, default: VersionList()].count = value(&state, result) ?? 0
            if key == state.selectedArtifactKey { clamp(&state, .versions) }
        case let .versionPageLoaded(generation, key, page, result):
            guard generation == state.generation else { return [] }
            state.versionLists[key]?.requestedPages.remove(page)
            if let rows = value(&state, result) {
                state.versionLists[key]?.pages[page] = rows
                state.versionLists[key]?.pageWidths[page] = VersionsPaneView.widths(of: rows)
                // Versions deleted between the count and this page: the list ends here, so no
                // row waits for ever for a version that is not there.
                let end = page * VersionList.pageSize + rows.count
                if rows.count < VersionList.pageSize, let count = state.versionLists[key]?.count, count > end {
                    state.versionLists[key]?.count = end
                    if key == state.selectedArtifactKey { clamp(&state, .versions) }
                }
            }
        case let .filesLoaded(generation, versionID, offset, result):
            guard generation == state.generation, var list = state.fileLists[versionID] else { return [] }
            list.loading = false
            if let files = value(&state, result), offset == list.files.count {
                list.files += files
                list.complete = files.count < FileList.pageSize
            } else {
                list.complete = true
            }
            state.fileLists[versionID] = list
        case let .aliasChecked(ticket, result):
            guard finish(&state, ticket), case .aliasInput(var dialog) = state.modal else { return [] }
            dialog.checking = false
            switch result {
            case .failure(let failure):
                dialog.error = failure.message
                state.modal = .aliasInput(dialog)
            case .success(let holder?) where holder.id != dialog.version.id:
                state.modal = .aliasMove(AliasMoveDialog(version: dialog.version, alias: dialog.field.text, holder: holder))
            case .success(let holder):
                if holder != nil {
                    state.modal = nil
                    state.status = StatusMessage("\(dialog.version.versionName) already has alias \(dialog.field.text)")
                    return []
                }
                state.modal = nil
                let next = begin(&state, "adding alias \(dialog.field.text)", cancellable: false)
                return [.addAlias(ticket: next, version: dialog.version, alias: dialog.field.text)]
            }
        case let .storeChanged(ticket, result):
            state.busy[ticket] = nil
            switch result {
            case .success(let message):
                state.status = StatusMessage(message, .success)
                state.storeUnreachable = false
                reload(&state)
            case .failure(let failure):
                // A refused or failed change changed nothing: the screen stays as it is, only
                // the status line gives the store's reason.
                report(&state, failure)
            }
        case let .versionRefreshed(ticket, version, action, result):
            return versionRefreshed(&state, ticket: ticket, version: version, action: action, result: result)
        case let .editorFinished(ticket, version, result):
            return editorFinished(&state, ticket: ticket, version: version, result: result)
        case let .downloaded(ticket, result):
            state.busy[ticket] = nil
            if let done = value(&state, result) {
                state.status = StatusMessage("wrote \(Formatting.counted(done.files, "file")) "
                    + "(\(Formatting.bytes(done.bytes))) to \(done.root)", .success)
            }
        case let .deletionPreviewed(ticket, result):
            guard finish(&state, ticket), case .delete(var dialog) = state.modal else { return [] }
            guard let preview = value(&state, result) else {
                state.modal = nil
                return []
            }
            dialog.preview = preview
            dialog.focus = dialog.buttons.count - 1
            state.modal = .delete(dialog)
        case let .prunePreviewed(ticket, keepLast, result):
            guard finish(&state, ticket), case .prune(var dialog) = state.modal,
                dialog.keepLastValue == keepLast
            else { return [] }
            switch result {
            case .success(let preview):
                dialog.preview = preview
                dialog.previewKeepLast = keepLast
            case .failure(let failure):
                dialog.error = failure.message
            }
            state.modal = .prune(dialog)
        case let .lineageLoaded(ticket, result):
            guard finish(&state, ticket), case .lineage(let view) = state.modal else { return [] }
            guard let graph = value(&state, result) else {
                state.modal = nil
                return []
            }
            lineageLoaded(&state, view, graph)
        case let .runLoaded(ticket, result):
            guard finish(&state, ticket), case .lineage(var view) = state.modal,
                let detail = value(&state, result)
            else { return [] }
            view.run = detail
            view.runScroll = 0
            state.modal = .lineage(view)
        case let .versionLocated(ticket, key, result):
            guard finish(&state, ticket), let found = value(&state, result) else { return [] }
            guard let row = found else {
                state.status = StatusMessage("\(key.artifact) no longer has that version", .danger)
                return []
            }
            let jump = PendingJump(key: key, row: row)
            // The version exists, so an artifact the list lacks was made after the list was read (by
            // another process or user): read the list again and jump when it arrives.
            if let artifacts = state.artifacts[key.project], !artifacts.contains(where: { $0.name == key.artifact }) {
                state.pendingJump = jump
                state.loadsInFlight += 1
                return [.loadArtifacts(project: key.project, generation: state.generation)]
            }
            applyJump(&state, jump)
        case let .cacheMeasured(ticket, result):
            guard finish(&state, ticket), case .cache(var view) = state.modal else { return [] }
            view.pendingTicket = nil
            switch result {
            case .success(let summary): view.summary = summary
            case .failure(let failure): view.error = failure.message
            }
            state.modal = .cache(view)
        case let .cacheCleaned(ticket, result):
            state.busy[ticket] = nil
            guard case .cache(var view) = state.modal else {
                if case .success(let done) = result {
                    state.status = StatusMessage("cache cleanup freed \(ByteSize.format(done.freedBytes))", .success)
                }
                return []
            }
            view.pendingTicket = nil
            switch result {
            case .success(let done):
                view.lastCleanup = done
                view.target = TextField()
                state.status = StatusMessage(
                    "cache cleanup freed \(ByteSize.format(done.freedBytes)) (\(Formatting.counted(done.removedFiles, "file")))", .success)
                let next = begin(&state, "measuring the cache", cancellable: true)
                view.pendingTicket = next
                state.modal = .cache(view)
                return [.measureCache(ticket: next)]
            case .failure(let failure):
                view.error = failure.message
            }
            state.modal = .cache(view)
        case let .versionsFiltered(ticket, key, needle, result):
            guard finish(&state, ticket), state.filters[.versions]?.scanTicket == ticket,
                state.filters[.versions]?.needle == needle
            else { return [] }
            state.filters[.versions]?.scanTicket = nil
            state.versionLists[key, default: VersionList()].filtered = value(&state, result) ?? []
            clamp(&state, .versions)
        case .diffLoaded, .patchLoaded, .searchFinished:
            return handleDiffOrSearchResult(&state, event)
        case .key, .resize, .tick:
            break
        }
        return []
    }

    /// The value of a result; a failure goes to the status line in danger style.
    static func value<T>(_ state: inout BrowserState, _ result: Result<T, StoreFailure>) -> T? {
        switch result {
        case .success(let value):
            if state.storeUnreachable {
                state.storeUnreachable = false
                state.status = StatusMessage("reconnected to \(state.storePath)", .success)
            }
            return value
        case .failure(let failure):
            report(&state, failure)
            return nil
        }
    }

    /// Puts a failure in the status line in danger style; one that never reached the store also
    /// says how to try again.
    static func report(_ state: inout BrowserState, _ failure: StoreFailure) {
        state.storeUnreachable = failure.isUnreachable
        state.status = StatusMessage(failure.message + (failure.isUnreachable ? " (r reconnects)" : ""), .danger)
    }
}
