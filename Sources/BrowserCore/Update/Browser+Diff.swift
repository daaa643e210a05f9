import ArtifactStore

/// `D` and `m`: the diff view, its list of changes and the patch of a file.
extension Browser {
    /// `D`: diffs the selected version against the marked one, or the one before it.
    static func openDiff(_ state: inout BrowserState) -> [Effect] {
        guard let version = requireVersion(&state) else { return [] }
        let marked = state.markedVersion.flatMap { $0.id == version.id ? nil : $0 }
        return openDiff(&state, target: version, base: marked.map(DiffBase.version) ?? .previous)
    }

    /// Opens the diff view of `target` against `base`; `D` and `:diff [REF]` both come here.
    static func openDiff(_ state: inout BrowserState, target: ArtifactVersion, base: DiffBase) -> [Effect] {
        let known: ArtifactVersion? = if case .version(let version) = base { version } else { nil }
        state.modal = .diff(DiffViewState(target: target, base: known))
        let ticket = begin(&state, "comparing \(target.versionName)", cancellable: true)
        return [.loadDiff(ticket: ticket, target: target, base: base)]
    }

    /// `m`: marks the selected version for `D`, or unmarks it.
    static func markVersion(_ state: inout BrowserState) {
        guard let version = requireVersion(&state) else { return }
        if state.markedVersion?.id == version.id {
            state.markedVersion = nil
            state.status = StatusMessage("unmarked \(version.qualifiedName)")
        } else {
            state.markedVersion = version
            state.status = StatusMessage("marked \(version.qualifiedName); D on another version diffs against it")
        }
    }

    static func diffKey(_ state: inout BrowserState, _ view: DiffViewState, _ key: Key) -> [Effect] {
        var view = view
        guard let action = KeyMap.action(for: key, in: .diff) else { return [] }
        let height = max(1, ScreenLayout(size: state.size).body.height - 2)
        if var patch = view.patch {
            switch action {
            case .cancel: view.patch = nil
            case .moveUp, .moveDown, .pageUp, .pageDown:
                let step = action == .moveUp ? -1 : action == .moveDown ? 1 : action == .pageUp ? -height : height
                let count = patch.lines?.count ?? 0
                patch.scroll = min(max(0, patch.scroll + step), max(0, count - height))
                view.patch = patch
            default: return []
            }
            state.modal = .diff(view)
            return []
        }
        switch action {
        case .cancel, .quit:
            return closeDialog(&state)
        case .moveUp, .moveDown, .pageUp, .pageDown:
            let step = action == .moveUp ? -1 : action == .moveDown ? 1 : action == .pageUp ? -height : height
            view.position.move(by: step, count: view.rowCount, height: height)
        case .open:
            guard let diff = view.diff, let change = view.change(at: view.position.cursor) else { return [] }
            if change.kind == .renamed {
                state.status = StatusMessage("\(change.path) was renamed with the same content: no patch")
                return []
            }
            view.patch = PatchPage(path: change.path)
            state.modal = .diff(view)
            let ticket = begin(&state, "making the patch of \(change.path)", cancellable: true)
            return [.loadPatch(ticket: ticket, diff: diff, change: change)]
        default:
            return []
        }
        state.modal = .diff(view)
        return []
    }

    /// Diff and patch results, and search results (`Browser+Search`).
    static func handleDiffOrSearchResult(_ state: inout BrowserState, _ event: Event) -> [Effect] {
        switch event {
        case let .diffLoaded(ticket, result):
            guard finish(&state, ticket), case .diff(var view) = state.modal else { return [] }
            switch result {
            case .success(let diff): view.load(diff)
            case .failure(let failure):
                state.modal = nil
                state.status = StatusMessage(failure.message, .danger)
                return []
            }
            state.modal = .diff(view)
        case let .patchLoaded(ticket, path, result):
            guard finish(&state, ticket), case .diff(var view) = state.modal, view.patch?.path == path else { return [] }
            let lines: [String]
            switch result {
            case .success(.text(let text)?): lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            case .success(.binary?): lines = ["Binary file \(path) differs"]
            case .success(.tooLarge(let limit)?): lines = ["\(path) is larger than \(ByteSize.format(limit)): no patch"]
            case .success(.renamed?), .success(nil): lines = ["\(path): same content"]
            case .success(.reference(let sources)?): lines = ["\(path) is a reference: \(sources)"]
            case .failure(let failure): lines = [failure.message]
            }
            view.patch?.lines = lines
            state.modal = .diff(view)
        case let .searchFinished(ticket, result):
            return searchFinished(&state, ticket, result)
        default:
            break
        }
        return []
    }
}
