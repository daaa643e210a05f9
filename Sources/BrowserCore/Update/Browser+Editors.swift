import ArtifactStore

/// Keys in the description editor (`e`) and the metadata editor (`M`).
extension Browser {
    static func descriptionKey(_ state: inout BrowserState, _ dialog: DescriptionDialog, _ key: Key) -> [Effect] {
        var dialog = dialog
        if dialog.confirmingDiscard { return discardQuestionKey(&state, dialog, key) }
        let area = DescriptionEditorView.textArea(in: state.size)
        if case .paste(let text) = key {
            dialog.editor.insert(text)
        } else {
            switch KeyMap.action(for: key, in: .editor) {
            case .save?:
                do {
                    _ = try NameRules.validateDescription(dialog.editor.text)
                } catch {
                    dialog.error = String(describing: error)
                    state.modal = .description(dialog)
                    return []
                }
                state.modal = nil
                return saveDescription(&state, version: dialog.version, text: dialog.editor.text)
            case .cancel?:
                guard dialog.isChanged else { return closeDialog(&state) }
                dialog.confirmingDiscard = true
                dialog.discardFocus = 0
            case .newLine?: dialog.editor.newLine()
            case .moveUp?: dialog.editor.moveVertically(by: -1, width: area.width)
            case .moveDown?: dialog.editor.moveVertically(by: 1, width: area.width)
            case .pageUp?, .pageDown?:
                let step = KeyMap.action(for: key, in: .editor) == .pageUp ? -1 : 1
                for _ in 0..<max(1, area.height - 1) { dialog.editor.moveVertically(by: step, width: area.width) }
            case .cursorLeft?: dialog.editor.moveLeft()
            case .cursorRight?: dialog.editor.moveRight()
            case .rowStart?: dialog.editor.moveToRowEdge(end: false, width: area.width)
            case .rowEnd?: dialog.editor.moveToRowEdge(end: true, width: area.width)
            case .deleteBackward?: dialog.editor.deleteBackward()
            case .deleteForward?: dialog.editor.deleteForward()
            default:
                guard case .char(let character) = key else { return [] }
                dialog.editor.insert(String(character))
            }
        }
        dialog.error = nil
        dialog.editor.scroll(toShowCursorIn: area.height, width: area.width)
        state.modal = .description(dialog)
        return []
    }

    /// "Discard your changes?": focus starts on keeping them.
    static func discardQuestionKey(_ state: inout BrowserState, _ dialog: DescriptionDialog, _ key: Key) -> [Effect] {
        var dialog = dialog
        switch KeyMap.action(for: key, in: .dialog) {
        case .cancel?:
            dialog.confirmingDiscard = false
        case .nextField?, .previousField?:
            dialog.discardFocus = 1 - dialog.discardFocus
        case .confirm?:
            if dialog.discardFocus == 1 { return closeDialog(&state) }
            dialog.confirmingDiscard = false
        default:
            if key == .char("y") { return closeDialog(&state) }
            if key == .char("n") { dialog.confirmingDiscard = false }
        }
        state.modal = .description(dialog)
        return []
    }

    static func metadataKey(_ state: inout BrowserState, _ dialog: MetadataDialog, _ key: Key) -> [Effect] {
        var dialog = dialog
        switch KeyMap.action(for: key, in: .metadata) {
        case .cancel?:
            return closeDialog(&state)
        case .nextField?:
            dialog.focus = 1 - dialog.focus
        case .moveUp?, .moveDown?:
            let keys = dialog.keys
            guard !keys.isEmpty else { break }
            let step = KeyMap.action(for: key, in: .metadata) == .moveUp ? -1 : 1
            let picked = dialog.picked.map { min(max(0, $0 + step), keys.count - 1) } ?? (step > 0 ? 0 : keys.count - 1)
            dialog.picked = picked
            dialog.key = TextField(keys[picked])
            dialog.value = TextField(dialog.version.metadata[keys[picked]]?.jsonText ?? "")
            dialog.focus = 1
            dialog.error = nil
        case .confirm?:
            if dialog.focus == 0 {
                dialog.focus = 1
                break
            }
            do {
                let change = try MetadataChange.set(dialog.key.text, json: dialog.value.text)
                return try saveMetadata(&state, dialog, change)
            } catch {
                dialog.error = String(describing: error)
            }
        case .removeKey?:
            guard dialog.version.metadata[dialog.key.text] != nil else {
                dialog.error = dialog.key.text.isEmpty ? "type or pick (↑/↓) the key to remove"
                    : "\(dialog.version.versionName) has no metadata key \"\(dialog.key.text)\""
                break
            }
            do {
                return try saveMetadata(&state, dialog, .remove(key: dialog.key.text))
            } catch {
                dialog.error = String(describing: error)
            }
        default:
            let field = dialog.focus == 0 ? \MetadataDialog.key : \MetadataDialog.value
            guard dialog[keyPath: field].edit(key) else { return [] }
            dialog.error = nil
            if dialog.focus == 0 { dialog.picked = dialog.keys.firstIndex(of: dialog.key.text) }
        }
        state.modal = .metadata(dialog)
        return []
    }

    /// Checks the change against the version's metadata as the store will (key count, finite
    /// numbers), so a refusal shows in place; then saves it.
    private static func saveMetadata(_ state: inout BrowserState, _ dialog: MetadataDialog,
                                     _ change: MetadataChange) throws -> [Effect] {
        _ = try MetadataChange.apply([change], to: dialog.version.metadata)
        state.modal = nil
        let ticket = begin(&state, "saving metadata", cancellable: false)
        return [.updateMetadata(ticket: ticket, version: dialog.version, changes: [change])]
    }
}
