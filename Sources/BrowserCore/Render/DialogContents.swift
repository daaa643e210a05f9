import ArtifactStore

/// What each dialog says, built from its state.
extension DialogContent {
    static func aliasInput(_ dialog: AliasInputDialog) -> DialogContent {
        var content = DialogContent(title: "Add alias to \(dialog.version.qualifiedName)")
        content.lines = [("An alias points at one version; setting it here moves it from any other version.", .dialog),
                         ("latest and vN are managed by the store.", .dim)]
        if dialog.checking { content.lines.append(("checking…", .dim)) }
        content.inputs = [("alias:", dialog.field.text, true)]
        content.error = dialog.error
        content.buttons = ["Enter add", "Esc cancel"]
        return content
    }

    static func aliasMove(_ dialog: AliasMoveDialog) -> DialogContent {
        var content = DialogContent(title: "Move alias \(dialog.alias)?")
        content.lines = [
            ("\(dialog.alias) is held by \(dialog.holder.versionName) of \(dialog.version.project)/\(dialog.version.name).", .warning),
            ("It moves from \(dialog.holder.versionName) to \(dialog.version.versionName).", .dialog),
        ]
        content.buttons = ["Move", "Cancel"]
        content.focus = dialog.focus
        return content
    }

    static func aliasRemove(_ dialog: AliasRemoveDialog) -> DialogContent {
        var content = DialogContent(title: "Remove an alias from \(dialog.version.qualifiedName)")
        content.lines = dialog.aliases.enumerated().map { offset, alias in
            (offset == dialog.cursor ? "> \(alias)" : "  \(alias)", offset == dialog.cursor ? StyleRole.buttonFocus : .dialog)
        }
        content.lines.append(("j/k choose, Enter remove, Esc cancel (latest is managed by the store)", .dim))
        return content
    }

    static func metadata(_ dialog: MetadataDialog) -> DialogContent {
        var content = DialogContent(title: "Metadata of \(dialog.version.qualifiedName)")
        let keys = dialog.keys
        if keys.isEmpty {
            content.lines = [("no keys yet", .dim)]
        } else {
            content.lines = keys.enumerated().map { offset, key in
                let text = "\(offset == dialog.picked ? ">" : " ") \(key) = \(dialog.version.metadata[key]!.jsonText)"
                return (text, offset == dialog.picked ? StyleRole.buttonFocus : .dialog)
            }
        }
        content.lines.append(("↑/↓ pick a key, Tab key/value, Enter sets (the value is JSON: 0.1, \"text\", [1,2]), "
                              + "Ctrl-R removes the key, Esc closes", .dim))
        content.inputs = [("key:", dialog.key.text, dialog.focus == 0), ("value:", dialog.value.text, dialog.focus == 1)]
        content.error = dialog.error
        return content
    }

    /// "Discard your changes?" over the description editor.
    static func discardQuestion(_ dialog: DescriptionDialog) -> DialogContent {
        var content = DialogContent(title: "Discard changes?")
        content.lines = [("The description of \(dialog.version.qualifiedName) has changes that are not saved.", .dialog)]
        content.buttons = ["Keep editing", "Discard"]
        content.focus = dialog.discardFocus
        return content
    }

    static func delete(_ dialog: DeleteDialog) -> DialogContent {
        var content = DialogContent(title: "Delete \(dialog.version.qualifiedName)?", danger: true)
        guard let preview = dialog.preview else {
            content.lines = [("measuring what deleting frees…", .dim)]
            content.buttons = dialog.buttons
            content.focus = 0
            return content
        }
        content.lines = [
            ("Deletes \(dialog.version.qualifiedName) (\(Formatting.counted(dialog.version.fileCount, "file"))).", .dialog),
            ("Frees \(Formatting.bytes(preview.freedBytes)) (\(Formatting.counted(Int(preview.freedBytes), "byte"))).", .dialog),
        ]
        if !preview.manualAliases.isEmpty {
            content.lines.append(("It holds hand-set aliases \(preview.manualAliases.joined(separator: ", ")); they go with it.", .warning))
        }
        content.lines.append(("This cannot be undone.", .danger))
        content.buttons = dialog.buttons
        content.focus = dialog.focus
        return content
    }

    static func prune(_ dialog: PruneDialog) -> DialogContent {
        var content = DialogContent(title: "Prune \(dialog.subject)?", danger: true)
        content.lines = [("Deletes versions without hand-set aliases, keeping the newest N of each artifact.", .dim)]
        if let preview = dialog.preview {
            let names = preview.versions.map { v in dialog.artifact == nil ? "\(v.name):\(v.versionName)" : v.versionName }
            let shown = names.prefix(12).joined(separator: " ") + (names.count > 12 ? " … (\(names.count - 12) more)" : "")
            let goes = preview.versions.count == 1 ? "goes" : "go"
            content.lines.append(("\(Formatting.counted(preview.versions.count, "version")) \(goes): \(names.isEmpty ? "none" : shown)", .dialog))
            content.lines.append(("Frees \(Formatting.bytes(preview.freedBytes)) (\(Formatting.counted(Int(preview.freedBytes), "byte"))).", .dialog))
        } else if dialog.error == nil {
            content.lines.append(("computing what would go…", .dim))
        }
        content.inputs = [("keep last:", dialog.keepLast.text, dialog.focus == 0)]
        content.error = dialog.error
        content.buttons = ["Yes, prune", "No"]
        content.focus = dialog.focus == 0 ? nil : dialog.focus - 1
        return content
    }
}
