import ArtifactStore

/// The `:` line: typing, Tab completion, ↑/↓ history, Enter runs the command through the same
/// update code as the keys (`execute`).
extension Browser {
    static func openCommandLine(_ state: inout BrowserState) -> [Effect] {
        state.modal = .commandLine(CommandLineState())
        return []
    }

    static func commandLineKey(_ state: inout BrowserState, _ line: CommandLineState, _ key: Key) -> [Effect] {
        var line = line
        switch KeyMap.action(for: key, in: .commandLine) {
        case .cancel?:
            state.modal = nil
            return []
        case .confirm?:
            return runCommandLine(&state, line)
        case .complete?:
            let completion = complete(line.field.text, state: state)
            line.field.text = completion.text
            line.candidates = completion.candidates
        case .historyBack?, .historyForward?:
            stepHistory(&line, back: KeyMap.action(for: key, in: .commandLine) == .historyBack, history: state.commandHistory)
        default:
            if line.field.text.isEmpty, key == .backspace {
                state.modal = nil  // as in vim: Backspace on an empty line leaves it
                return []
            }
            guard line.field.edit(key) else { return [] }
            line.error = nil
            line.candidates = []
            line.historyIndex = nil
        }
        state.modal = .commandLine(line)
        return []
    }

    /// Enter: parse (errors stay on the line), remember, run.
    static func runCommandLine(_ state: inout BrowserState, _ line: CommandLineState) -> [Effect] {
        var line = line
        let text = line.field.text.trimmingCharacters(in: .whitespaces)
        let parsed: (command: BrowserCommand, request: CommandRequest)
        do {
            parsed = try CommandTable.parse(text)
        } catch {
            line.error = String(describing: error)
            state.modal = .commandLine(line)
            return []
        }
        if state.commandHistory.last != text { state.commandHistory.append(text) }
        state.modal = nil
        guard parsed.command.needsVersion else { return execute(&state, parsed.request, on: nil) }
        return actOnVersion(&state, .command(parsed.request))
    }

    /// Carries out a command with the code of the key that does the same.
    static func execute(_ state: inout BrowserState, _ request: CommandRequest, on version: ArtifactVersion?) -> [Effect] {
        switch request {
        case .addAlias(let alias):
            guard let version else { return [] }
            var dialog = AliasInputDialog(version: version)
            dialog.field = TextField(alias)
            state.modal = .aliasInput(dialog)
            return aliasInputKey(&state, dialog, .enter)
        case .removeAlias(let alias):
            guard let version else { return [] }
            guard version.manualAliases.contains(alias) else {
                let held = version.manualAliases.isEmpty ? "it has none" : "it has " + version.manualAliases.joined(separator: ", ")
                state.status = StatusMessage("\(version.versionName) has no hand-set alias \(alias); \(held)", .danger)
                return []
            }
            let ticket = begin(&state, "removing alias \(alias)", cancellable: false)
            return [.removeAlias(ticket: ticket, version: version, alias: alias)]
        case .describe(let text):
            guard let version else { return [] }
            guard let text else {
                state.modal = .description(DescriptionDialog(version: version))
                return []
            }
            return saveDescription(&state, version: version, text: text)
        case .prune(let keepLast):
            return openPrune(&state, keepLast: keepLast)
        case .get(let root):
            guard let version else { return [] }
            let ticket = begin(&state, "writing \(version.versionName)'s files", cancellable: false)
            return [.download(ticket: ticket, version: version, root: root)]
        }
    }

    /// ↑/↓: older and newer commands; stepping past the newest brings back what was being typed.
    static func stepHistory(_ line: inout CommandLineState, back: Bool, history: [String]) {
        guard !history.isEmpty else { return }
        if line.historyIndex == nil, back { line.draft = line.field.text }
        let next = (line.historyIndex ?? -1) + (back ? 1 : -1)
        if next < 0 {
            line.historyIndex = nil
            line.field = TextField(line.draft)
        } else {
            let index = min(next, history.count - 1)
            line.historyIndex = index
            line.field = TextField(history[history.count - 1 - index])
        }
        line.candidates = []
        line.error = nil
    }

    /// Tab: completes the word being typed to the longest prefix the candidates share; a single
    /// candidate is completed whole and followed by a space.
    static func complete(_ text: String, state: BrowserState) -> (text: String, candidates: [String]) {
        let endsWord = text.isEmpty || text.hasSuffix(" ")
        var tokens = (try? CommandTokenizer.tokens(text)) ?? text.split(separator: " ").map(String.init)
        let partial = endsWord ? "" : (tokens.popLast() ?? "")
        var offered: [String] = []
        for command in CommandTable.commands where tokens.count < command.words.count {
            if Array(command.words.prefix(tokens.count)) == tokens { offered.append(command.words[tokens.count]) }
        }
        if let command = CommandTable.commands.filter({ tokens.starts(with: $0.words) })
            .max(by: { $0.words.count < $1.words.count })
        {
            offered += command.suggestions(state).filter { !tokens.dropFirst(command.words.count).contains($0) }
        }
        var seen = Set<String>()
        let candidates = offered.filter { $0.hasPrefix(partial) && seen.insert($0).inserted }
        guard !candidates.isEmpty else { return (text, []) }
        let stem = String(text.dropLast(partial.count))
        if candidates.count == 1 { return (stem + candidates[0] + " ", []) }
        var common = candidates[0]
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(common) { common.removeLast() }
        }
        return (stem + common, candidates)
    }
}
