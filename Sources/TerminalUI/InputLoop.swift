import BrowserCore
import Dispatch

/// The loop: read keys (draining what is waiting, coalescing resizes), collect worker results,
/// update, draw once per batch.
struct InputLoop {
    let terminal: Terminal
    let worker: EffectWorker
    let storePath: String

    init(terminal: Terminal, store: any BrowserStore) {
        self.terminal = terminal
        worker = EffectWorker(store: store)
        storePath = store.storePath
    }

    func run() {
        var (state, effects) = Browser.start(storePath: storePath, size: terminal.size,
                                             unicode: terminal.unicode)
        effects.forEach(worker.submit)
        var lastTick = DispatchTime.now()
        terminal.draw(BrowserRenderer.render(state))
        while !state.wantsQuit {
            let busy = worker.isBusy || !state.busy.isEmpty
            var events: [Event] = []
            var resized = false
            if let first = terminal.read(timeout: busy ? 15 : -1) {
                var input: TerminalInput? = first
                var drained = 0
                // Take everything already typed before drawing: a held key or a resize storm
                // costs one frame, not one per event.
                while let current = input, drained < 256 {
                    switch current {
                    case .resize: resized = true
                    case .key(let key): events.append(.key(key))
                    case .mouse: if let key = terminal.mouseKey() { events.append(.key(key)) }
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
                Browser.update(&state, event).forEach(worker.submit)
            }
            if state.redrawRequested {
                terminal.repaint()
                state.redrawRequested = false
            }
            if !state.wantsQuit { terminal.draw(BrowserRenderer.render(state)) }
        }
    }
}
