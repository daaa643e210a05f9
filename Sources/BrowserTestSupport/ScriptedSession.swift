import BrowserCore
import Foundation

/// Drives the pure browser like a user would, without a terminal: keys go through
/// `Browser.update`, effects run at once against the store (unless `holdEffects`), and the
/// screen is the rendered grid. The test double for the whole input loop.
public struct ScriptedSession {
    /// The browser's state after everything sent so far.
    public private(set) var state: BrowserState
    /// The store the effects run against.
    public let store: any BrowserStore
    /// When true, effects queue up in `pendingEffects` until `runPendingEffects()`.
    public var holdEffects = false
    /// Effects not run yet.
    public private(set) var pendingEffects: [Effect] = []
    /// Stands in for the user's `$EDITOR` (`E`): gets the text, returns it as the user saves it.
    /// Without it, the editor fails as one that cannot start would.
    public var editor: (@Sendable (String) -> String)?
    private let runner: EffectRunner
    private var cancelled: Set<Int> = []

    /// Opens a browser on a store at a terminal size and runs its first loads.
    public init(store: any BrowserStore, width: Int = 80, height: Int = 24, unicode: Bool = true) {
        self.store = store
        runner = EffectRunner(store: store)
        let (state, effects) = Browser.start(storePath: store.storePath, storeNoun: store.storeNoun,
                                             size: TerminalSize(width: width, height: height),
                                             unicode: unicode, timeZone: TimeZone(identifier: "UTC")!)
        self.state = state
        run(effects)
    }

    /// Sends keys written as in `Keys.parse` (`"jj<Enter>a"`).
    public mutating func press(_ script: String) {
        for key in Keys.parse(script) { send(.key(key)) }
    }

    /// Sends keys.
    public mutating func press(_ keys: Key...) {
        for key in keys { send(.key(key)) }
    }

    /// Types text character by character.
    public mutating func type(_ text: String) {
        for character in text { send(.key(.char(character))) }
    }

    /// Resizes the terminal.
    public mutating func resize(_ width: Int, _ height: Int) {
        send(.resize(TerminalSize(width: width, height: height)))
    }

    /// Sends any event and runs what it asks for.
    public mutating func send(_ event: Event) {
        let effects = Browser.update(&state, event)
        run(effects)
    }

    /// Runs queued effects (and whatever their results ask for).
    public mutating func runPendingEffects() {
        let queued = pendingEffects
        pendingEffects = []
        let hold = holdEffects
        holdEffects = false
        run(queued)
        holdEffects = hold
    }

    /// The screen as text.
    public var screen: String { BrowserRenderer.render(state).text }

    /// The rendered grid.
    public var grid: ScreenGrid { BrowserRenderer.render(state) }

    /// Opens the key table (`?`) and pages it down (PgDn) until the screen stops changing, returning
    /// every screen seen: the table is taller than most screens. The help stays open at its end.
    public mutating func helpScreens() -> String {
        press("?")
        var seen = ""
        var last = ""
        for _ in 0..<1_000 where screen != last {
            last = screen
            seen += last
            press("<PgDn>")
        }
        return seen
    }

    private mutating func run(_ effects: [Effect]) {
        var queue = effects
        while !queue.isEmpty {
            let effect = queue.removeFirst()
            if case .cancel(let ticket) = effect {
                cancelled.insert(ticket)
                pendingEffects.removeAll { $0.ticket == ticket }
                continue
            }
            if holdEffects {
                pendingEffects.append(effect)
                continue
            }
            if let ticket = effect.ticket, cancelled.contains(ticket) { continue }
            if case let .runEditor(ticket, version, text) = effect {
                let result: Result<String, StoreFailure> = editor.map { .success($0(text)) }
                    ?? .failure(StoreFailure(message: "no editor in this session"))
                queue += Browser.update(&state, .editorFinished(ticket: ticket, version: version, result))
                continue
            }
            for event in runner.run(effect) {
                queue += Browser.update(&state, event)
            }
        }
    }
}
