import ArtifactStore
/// The cache view: typing a target size, Enter cleans up to it, Esc closes.
extension Browser {
    static func cacheKey(_ state: inout BrowserState, _ view: CacheViewState, _ key: Key) -> [Effect] {
        var view = view
        switch key {
        case .escape:
            return closeDialog(&state)
        case .enter:
            guard view.pendingTicket == nil else { return [] }
            let bytes: Int64
            do {
                bytes = try ByteSize.parse(view.target.text)
            } catch {
                view.error = String(describing: error)
                state.modal = .cache(view)
                return []
            }
            view.error = nil
            let ticket = begin(&state, "cleaning the cache to \(ByteSize.format(bytes))", cancellable: false)
            view.pendingTicket = ticket
            state.modal = .cache(view)
            return [.cleanCache(ticket: ticket, toAtMost: bytes)]
        case .up, .down, .pageUp, .pageDown:
            let step = key == .up ? -1 : key == .down ? 1 : key == .pageUp ? -10 : 10
            view.scroll = max(0, min(view.scroll + step, (view.summary?.entries.count ?? 1) - 1))
        default:
            if key == .char("r"), view.target.text.isEmpty, view.pendingTicket == nil {
                let ticket = begin(&state, "measuring the cache", cancellable: true)
                view.pendingTicket = ticket
                state.modal = .cache(view)
                return [.measureCache(ticket: ticket)]
            }
            if view.target.edit(key) { view.error = nil }
        }
        state.modal = .cache(view)
        return []
    }
}
