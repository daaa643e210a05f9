import BrowserCore
import Dispatch
import Foundation

/// Runs effects off the input loop and hands their results back as events.
///
/// Reads run concurrently, writes one at a time in order. A cancelled ticket's loops stop
/// (`isCancelled`) and its results are dropped.
final class EffectWorker: @unchecked Sendable {
    private let runner: EffectRunner
    private let reads = DispatchQueue(label: "arttui.browser.reads", attributes: .concurrent)
    private let writes = DispatchQueue(label: "arttui.browser.writes")
    private let lock = NSLock()
    private var inbox: [Event] = []
    private var cancelled: Set<Int> = []
    private var inFlight = 0

    init(store: any BrowserStore) {
        runner = EffectRunner(store: store)
    }

    /// Whether work is running or results are waiting.
    var isBusy: Bool { locked { inFlight > 0 || !inbox.isEmpty } }

    /// Starts an effect (`.cancel` takes effect at once).
    func submit(_ effect: Effect) {
        if case .cancel(let ticket) = effect {
            locked { _ = cancelled.insert(ticket) }
            return
        }
        if case .quit = effect { return }
        locked { inFlight += 1 }
        let ticket = effect.ticket
        (effect.isWrite ? writes : reads).async { [self] in
            let events = runner.run(effect, isCancelled: { [self] in ticket.map(isCancelled) ?? false })
            locked {
                inFlight -= 1
                if let ticket, cancelled.contains(ticket) { return }
                inbox += events
            }
        }
    }

    /// Results that arrived since the last call.
    func drain() -> [Event] {
        locked {
            defer { inbox = [] }
            return inbox
        }
    }

    private func isCancelled(_ ticket: Int) -> Bool { locked { cancelled.contains(ticket) } }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
