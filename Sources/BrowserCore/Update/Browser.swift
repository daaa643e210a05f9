import ArtifactStore

/// The browser's update function: `update(&state, event)` changes the state and returns the work
/// to do. Pure: no I/O, no clock, no terminal. Split by concern over the `Browser+*.swift` files.
public enum Browser {
    /// Applies one event and returns the effects it asks for, including loads for whatever came
    /// on screen.
    public static func update(_ state: inout BrowserState, _ event: Event) -> [Effect] {
        var effects: [Effect]
        switch event {
        case .key(let key):
            effects = handleKey(&state, key)
        case .resize(let size):
            state.size = TerminalSize(width: max(0, size.width), height: max(0, size.height))
            clampAll(&state)
            effects = []
        case .tick:
            if !state.busy.isEmpty || state.loadsInFlight > 0 { state.spinnerFrame &+= 1 }
            effects = []
        default:
            effects = handleResult(&state, event)
        }
        if !state.wantsQuit { effects += requestVisibleData(&state) }
        return effects
    }

    /// The state a browser starts in, and the effects that load its first screen.
    public static func start(storePath: String, storeNoun: String = "store", size: TerminalSize,
                             unicode: Bool = true, timeZone: TimeZone = .current) -> (BrowserState, [Effect]) {
        var state = BrowserState(storePath: storePath, storeNoun: storeNoun, size: size, unicode: unicode,
                                 timeZone: timeZone)
        let effects = requestVisibleData(&state)
        return (state, effects)
    }

    static func handleKey(_ state: inout BrowserState, _ key: Key) -> [Effect] {
        if key == .ctrl("c") {
            state.wantsQuit = true
            return [.quit]
        }
        if KeyMap.action(for: key, in: .global) == .redraw {
            state.redrawRequested = true
            return []
        }
        if let modal = state.modal {
            return handleModalKey(&state, modal, key)
        }
        if let filter = state.filters[state.focus], filter.editing {
            return editFilter(&state, key)
        }
        if case .click(let x, let y) = key { return click(&state, x: x, y: y) }
        if case .wheel(let delta) = key { return move(&state, by: delta * 3) }
        guard let action = KeyMap.action(for: key, in: .browse) else { return [] }
        return perform(&state, action)
    }

    /// Starts a piece of work shown with the spinner and returns its ticket.
    static func begin(_ state: inout BrowserState, _ label: String, cancellable: Bool) -> Int {
        let ticket = state.ticket()
        state.busy[ticket] = BusyTask(label: label, cancellable: cancellable)
        return ticket
    }

    /// Ends a piece of work; false when it had been cancelled (its result is then dropped).
    static func finish(_ state: inout BrowserState, _ ticket: Int) -> Bool {
        state.busy.removeValue(forKey: ticket) != nil
    }

    /// Drops cached data and loads again what is on screen, keeping cursors where they are.
    static func reload(_ state: inout BrowserState) {
        state.generation += 1
        state.projectsRequested = false
        state.artifactsRequested = []
        state.versionLists = [:]
        state.fileLists = [:]
        state.pendingJump = nil
    }
}

import Foundation
