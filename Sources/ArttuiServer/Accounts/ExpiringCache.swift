import Synchronization

/// Answers read from the account database, kept for a short `lifetime` so that the requests of one
/// client do not each ask PostgreSQL again who a token is or what a project's visibility is.
///
/// Staleness is bounded: an entry is never used after its `lifetime` (or an earlier time the caller
/// gives, such as a token's expiry). Writes made through this process call `invalidate`, which also
/// stops an answer read before the write from being stored after it: `store` only keeps a value read
/// at the generation `generation()` returned before the read. A lifetime of zero keeps nothing.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var expires: ContinuousClock.Instant
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var generation: UInt64 = 0
    }

    /// How long an entry is used at most.
    let lifetime: Duration
    /// How many entries are kept at most; past it expired entries go, then all.
    let capacity: Int
    private let state = Mutex(State())

    init(lifetime: Duration, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    /// Whether anything is kept at all.
    var isEnabled: Bool { lifetime > .zero }

    /// The value for `key`, if one was stored less than its lifetime ago.
    func value(for key: Key) -> Value? {
        guard isEnabled else { return nil }
        let now = ContinuousClock.now
        return state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            guard entry.expires > now else {
                state.entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    /// The current generation: read it before asking the database, hand it to `store` after.
    func generation() -> UInt64 {
        state.withLock { $0.generation }
    }

    /// Keeps `value` until the lifetime ends or `until`, whichever is first, unless an invalidation
    /// happened since `generation` was read (the value may predate it).
    func store(_ value: Value, for key: Key, readAt generation: UInt64, until: ContinuousClock.Instant? = nil) {
        guard isEnabled else { return }
        let now = ContinuousClock.now
        var expires = now + lifetime
        if let until { expires = min(expires, until) }
        guard expires > now else { return }
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity, state.entries[key] == nil {
                state.entries = state.entries.filter { $0.value.expires > now }
                if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            }
            state.entries[key] = Entry(value: value, expires: expires)
        }
    }

    /// Forgets every entry, and any value being read at the time.
    func invalidate() {
        state.withLock { state in
            state.entries.removeAll(keepingCapacity: true)
            state.generation &+= 1
        }
    }
}
