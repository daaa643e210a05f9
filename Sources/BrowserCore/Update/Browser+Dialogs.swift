import ArtifactStore

/// Keys while a dialog is open: aliases, description, delete and prune.
extension Browser {
    static func handleModalKey(_ state: inout BrowserState, _ modal: Modal, _ key: Key) -> [Effect] {
        switch modal {
        case .help(let scroll): return helpKey(&state, scroll: scroll, key)
        case .aliasInput(let dialog): return aliasInputKey(&state, dialog, key)
        case .aliasMove(let dialog): return aliasMoveKey(&state, dialog, key)
        case .aliasRemove(let dialog): return aliasRemoveKey(&state, dialog, key)
        case .description(let dialog): return descriptionKey(&state, dialog, key)
        case .metadata(let dialog): return metadataKey(&state, dialog, key)
        case .commandLine(let line): return commandLineKey(&state, line, key)
        case .delete(let dialog): return deleteKey(&state, dialog, key)
        case .prune(let dialog): return pruneKey(&state, dialog, key)
        case .lineage(let view): return lineageKey(&state, view, key)
        case .cache(let view): return cacheKey(&state, view, key)
        case .diff(let view): return diffKey(&state, view, key)
        case .search(let view): return searchKey(&state, view, key)
        }
    }

    /// Scrolls the key table, or closes it.
    static func helpKey(_ state: inout BrowserState, scroll: Int, _ key: Key) -> [Effect] {
        let layout = HelpView.layout(for: state.size)
        let page = max(1, layout?.visibleRows ?? 1)
        let step: Int
        switch KeyMap.action(for: key, in: .help) {
        case .cancel?: state.modal = nil; return []
        case .moveDown?: step = 1
        case .moveUp?: step = -1
        case .pageDown?: step = page
        case .pageUp?: step = -page
        case .moveTop?: step = -scroll
        case .moveBottom?: step = layout?.maxScroll ?? 0
        default: return []
        }
        state.modal = .help(scroll: min(max(0, scroll + step), layout?.maxScroll ?? 0))
        return []
    }

    /// Esc closes a dialog, abandoning a read it was waiting for.
    static func closeDialog(_ state: inout BrowserState) -> [Effect] {
        state.modal = nil
        let cancellable = state.busy.filter(\.value.cancellable).keys.sorted()
        for ticket in cancellable { state.busy[ticket] = nil }
        return cancellable.map { .cancel(ticket: $0) }
    }

    static func aliasInputKey(_ state: inout BrowserState, _ dialog: AliasInputDialog, _ key: Key) -> [Effect] {
        var dialog = dialog
        switch key {
        case .escape:
            return closeDialog(&state)
        case .enter:
            guard !dialog.checking else { return [] }
            dialog.checking = true
            dialog.error = nil
            state.modal = .aliasInput(dialog)
            let ticket = begin(&state, "checking alias", cancellable: true)
            return [.checkAlias(ticket: ticket, version: dialog.version, alias: dialog.field.text)]
        default:
            if dialog.field.edit(key) { dialog.error = nil }
            state.modal = .aliasInput(dialog)
            return []
        }
    }

    static func aliasMoveKey(_ state: inout BrowserState, _ dialog: AliasMoveDialog, _ key: Key) -> [Effect] {
        var dialog = dialog
        switch KeyMap.action(for: key, in: .dialog) {
        case .cancel?:
            return closeDialog(&state)
        case .nextField?, .previousField?:
            dialog.focus = 1 - dialog.focus
            state.modal = .aliasMove(dialog)
        case .confirm?:
            guard dialog.focus == 0 else { return closeDialog(&state) }
            state.modal = nil
            let ticket = begin(&state, "moving alias \(dialog.alias)", cancellable: false)
            return [.addAlias(ticket: ticket, version: dialog.version, alias: dialog.alias)]
        default:
            if key == .char("y") {
                dialog.focus = 0
                state.modal = .aliasMove(dialog)
                return aliasMoveKey(&state, dialog, .enter)
            }
            if key == .char("n") { return closeDialog(&state) }
        }
        return []
    }

    static func aliasRemoveKey(_ state: inout BrowserState, _ dialog: AliasRemoveDialog, _ key: Key) -> [Effect] {
        var dialog = dialog
        switch key {
        case .escape:
            return closeDialog(&state)
        case .up, .char("k"), .backTab:
            dialog.cursor = max(0, dialog.cursor - 1)
        case .down, .char("j"), .tab:
            dialog.cursor = min(dialog.aliases.count - 1, dialog.cursor + 1)
        case .enter:
            let alias = dialog.aliases[dialog.cursor]
            state.modal = nil
            let ticket = begin(&state, "removing alias \(alias)", cancellable: false)
            return [.removeAlias(ticket: ticket, version: dialog.version, alias: alias)]
        default:
            return []
        }
        state.modal = .aliasRemove(dialog)
        return []
    }

    static func deleteKey(_ state: inout BrowserState, _ dialog: DeleteDialog, _ key: Key) -> [Effect] {
        var dialog = dialog
        let buttons = dialog.buttons
        switch KeyMap.action(for: key, in: .dialog) {
        case .cancel?:
            return closeDialog(&state)
        case .nextField?:
            dialog.focus = (dialog.focus + 1) % buttons.count
        case .previousField?:
            dialog.focus = (dialog.focus + buttons.count - 1) % buttons.count
        case .confirm?:
            guard let preview = dialog.preview, dialog.focus == 0 else { return closeDialog(&state) }
            state.modal = nil
            let ticket = begin(&state, "deleting \(dialog.version.versionName)", cancellable: false)
            return [.deleteVersion(ticket: ticket, version: dialog.version,
                                   deleteAliases: !preview.manualAliases.isEmpty)]
        default:
            return []
        }
        state.modal = .delete(dialog)
        return []
    }

    static func pruneKey(_ state: inout BrowserState, _ dialog: PruneDialog, _ key: Key) -> [Effect] {
        var dialog = dialog
        var typesDigit = false
        if case .char(let c) = key, c.isASCII, c.isNumber { typesDigit = true }
        if dialog.focus == 0 || typesDigit || key == .backspace, key != .enter, key != .escape, key != .tab, key != .backTab {
            // Typing in the keep-last field.
            guard dialog.keepLast.edit(key) else { return [] }
            dialog.error = dialog.keepLastRefusal
            state.modal = .prune(dialog)
            return dialog.error == nil ? previewPrune(&state) : []
        }
        switch KeyMap.action(for: key, in: .dialog) {
        case .cancel?:
            return closeDialog(&state)
        case .nextField?:
            dialog.focus = (dialog.focus + 1) % 3
        case .previousField?:
            dialog.focus = (dialog.focus + 2) % 3
        case .confirm?:
            if dialog.focus == 0 {
                dialog.focus = 2
            } else if dialog.focus == 1, let preview = dialog.preview, let keep = dialog.previewKeepLast,
                keep == dialog.keepLastValue
            {
                state.modal = nil
                if preview.versions.isEmpty {
                    state.status = StatusMessage("nothing to prune in \(dialog.subject)")
                    return []
                }
                let ticket = begin(&state, "pruning \(Formatting.counted(preview.versions.count, "version"))", cancellable: false)
                return [.prune(ticket: ticket, project: dialog.project, artifact: dialog.artifact, keepLast: keep)]
            } else if dialog.focus == 2 {
                return closeDialog(&state)
            }
        default:
            return []
        }
        state.modal = .prune(dialog)
        return []
    }
}
