import ArtifactStore

/// Actions on the selected version read it again first: one another process deleted is said to
/// be gone in the status line, and a dialog opens on the version as stored now.
extension Browser {
    /// Reads the selected version again, then does `action` with it (`versionRefreshed`).
    static func actOnVersion(_ state: inout BrowserState, _ action: VersionAction) -> [Effect] {
        guard let version = requireVersion(&state) else { return [] }
        if action.changesTheVersion, refuseIfReadOnly(&state, project: version.project) { return [] }
        let ticket = begin(&state, "reading \(version.versionName)", cancellable: true)
        return [.refreshVersion(ticket: ticket, version: version, then: action)]
    }

    static func versionRefreshed(_ state: inout BrowserState, ticket: Int, version: ArtifactVersion,
                                 action: VersionAction, result: Result<ArtifactVersion?, StoreFailure>) -> [Effect] {
        guard finish(&state, ticket), let found = value(&state, result) else { return [] }
        guard let current = found else {
            state.status = StatusMessage("\(version.qualifiedName) is gone: deleted since it was listed", .danger)
            reload(&state)
            return []
        }
        switch action {
        case .addAlias:
            state.modal = .aliasInput(AliasInputDialog(version: current))
        case .removeAlias:
            guard !current.manualAliases.isEmpty else {
                state.status = StatusMessage("\(current.versionName) has no hand-set aliases (latest is managed by the store)")
                return []
            }
            state.modal = .aliasRemove(AliasRemoveDialog(version: current, aliases: current.manualAliases))
        case .editDescription:
            state.modal = .description(DescriptionDialog(version: current))
        case .editDescriptionExternally:
            let next = begin(&state, "editing the description of \(current.versionName)", cancellable: false)
            return [.runEditor(ticket: next, version: current, text: current.description)]
        case .editMetadata:
            state.modal = .metadata(MetadataDialog(version: current))
        case .delete:
            state.modal = .delete(DeleteDialog(version: current))
            let next = begin(&state, "measuring \(current.versionName)", cancellable: true)
            return [.previewDeletion(ticket: next, version: current)]
        case .command(let request):
            return execute(&state, request, on: current)
        }
        return []
    }

    /// Saves a description typed in the editor, on the command line or in `$EDITOR`; a text the
    /// store would refuse is refused here with the store's reason.
    static func saveDescription(_ state: inout BrowserState, version: ArtifactVersion, text: String) -> [Effect] {
        do {
            _ = try NameRules.validateDescription(text)
        } catch {
            state.status = StatusMessage(String(describing: error), .danger)
            return []
        }
        let ticket = begin(&state, "saving description", cancellable: false)
        return [.setDescription(ticket: ticket, version: version, text: text)]
    }

    /// The editor closed: save when the text changed. Editors end files with a newline the user
    /// did not mean as part of the text, as git assumes for commit messages.
    static func editorFinished(_ state: inout BrowserState, ticket: Int, version: ArtifactVersion,
                               result: Result<String, StoreFailure>) -> [Effect] {
        state.busy[ticket] = nil
        guard var text = value(&state, result) else { return [] }
        while text.hasSuffix("\n") { text.removeLast() }
        guard text != version.description else {
            state.status = StatusMessage("description of \(version.versionName) unchanged")
            return []
        }
        return saveDescription(&state, version: version, text: text)
    }
}
