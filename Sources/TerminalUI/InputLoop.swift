import BrowserCore
import Dispatch
import Foundation

/// The loop: read keys (draining what is waiting, coalescing resizes), collect worker results,
/// update, draw once per batch.
struct InputLoop {
    let terminal: Terminal
    let worker: EffectWorker
    let storePath: String
    /// What messages call the store ("store", "server").
    let storeNoun: String
    /// Where the user's editor comes from (`E`).
    let editor: ExternalEditor

    init(terminal: Terminal, store: any BrowserStore, environment: [String: String]) {
        self.terminal = terminal
        worker = EffectWorker(store: store)
        storePath = store.storePath
        storeNoun = store.storeNoun
        editor = ExternalEditor(environment: environment)
    }

    func run() {
        var (state, effects) = Browser.start(storePath: storePath, storeNoun: storeNoun, size: terminal.size,
                                             unicode: terminal.unicode)
        perform(effects, &state)
        var lastTick = DispatchTime.now()
        terminal.draw(BrowserRenderer.render(state))
        while !state.wantsQuit {
            let busy = worker.isBusy || !state.busy.isEmpty
            var events: [Event] = []
            var resized = false
            // Idle, the wait still ends every quarter second: ncurses's SIGWINCH handler only sets a
            // flag, and when the kernel delivers the signal to a worker thread the main thread's read
            // is not interrupted, so the resize would wait for the next key. The next read sees the
            // flag and returns KEY_RESIZE.
            if let first = terminal.read(timeout: busy ? 15 : 250) {
                var input: TerminalInput? = first
                var drained = 0
                // Take everything already typed before drawing: a held key or a resize storm
                // costs one frame, not one per event.
                while let current = input, drained < 256 {
                    switch current {
                    case .resize: resized = true
                    case .key(let key): events.append(.key(key))
                    case .mouse: if let key = terminal.mouseKey() { events.append(.key(key)) }
                    case .pasteStart: events.append(.key(.paste(readPaste())))
                    case .pasteEnd: break
                    }
                    drained += 1
                    input = terminal.read(timeout: 0)
                }
            }
            if resized {
                terminal.invalidate()
                events.append(.resize(terminal.size))
            }
            events += worker.drain()
            if busy, DispatchTime.now().uptimeNanoseconds - lastTick.uptimeNanoseconds > 100_000_000 {
                lastTick = DispatchTime.now()
                events.append(.tick)
            }
            guard !events.isEmpty else { continue }
            for event in events where !state.wantsQuit {
                perform(Browser.update(&state, event), &state)
            }
            if state.redrawRequested {
                terminal.repaint()
                state.redrawRequested = false
            }
            if !state.wantsQuit { terminal.draw(BrowserRenderer.render(state)) }
        }
    }

    /// Hands effects to the worker, except the editor, which needs the terminal: the screen is
    /// given up while it runs and taken back after, and its result is applied at once.
    private func perform(_ effects: [Effect], _ state: inout BrowserState) {
        for effect in effects {
            guard case let .runEditor(ticket, version, text) = effect else {
                worker.submit(effect)
                continue
            }
            terminal.suspend()
            let fileName = "DESCRIPTION-\(version.project)-\(version.name)-\(version.versionName).txt"
                .replacingOccurrences(of: "/", with: "-")
            let result: Result<String, StoreFailure>
            do {
                result = .success(try editor.edit(text, fileName: fileName))
            } catch {
                result = .failure(StoreFailure(error))
            }
            terminal.resume()
            var next = Browser.update(&state, .editorFinished(ticket: ticket, version: version, result))
            next += Browser.update(&state, .resize(terminal.size))
            perform(next, &state)
        }
    }

    /// The text of a bracketed paste, up to its end marker; line breaks arrive as Enter.
    private func readPaste() -> String {
        var text = ""
        while let input = terminal.read(timeout: 200) {
            switch input {
            case .pasteEnd: return text
            case .key(.enter): text += "\n"
            case .key(.tab): text += "\t"
            case .key(.char(let character)): text.append(character)
            default: continue
            }
        }
        return text
    }
}
