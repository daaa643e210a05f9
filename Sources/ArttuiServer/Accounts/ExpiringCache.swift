import Synchronization

/// Answers read from the account database, kept for a short `lifetime` so that the requests of one
/// client do not each ask PostgreSQL again who a token is or what a project's visibility is.
///
/// Staleness is bounded: an entry is never used after its `lifetime` (or an earlier time the caller
/// gives, such as a token's expiry). Writes made through this process call `invalidate`, which also
/// stops an answer read before the write from being stored after it: `store` only keeps a value read
/// at the generation `generation()` returned before the read. A lifetime of zero keeps nothing.
///
/// An entry is renewed before it ends: once half its lifetime has passed, one lookup is told to read
/// it again (in the background) while every lookup keeps getting the kept value. Without this, all the
/// requests in flight when a busy token's entry ended would miss together and queue for the database:
/// under a steady load that burst, once per lifetime, was the slowest per cent of requests.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var expires: ContinuousClock.Instant
        var renewAfter: ContinuousClock.Instant
        var renewing = false
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var generation: UInt64 = 0
    }

    /// A lookup's answer.
    enum Lookup {
        /// Nothing usable is kept: read it.
        case miss
        /// The kept value.
        case hit(Value)
        /// The kept value, and this caller is the one to read it again and `store` it (or `abandonRenewal`).
        case renew(Value)
    }

    /// How long an entry is used at most.
    let lifetime: Duration
    /// How many entries are kept at most; past it expired entries go, then all.
    let capacity: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex(State())

    /// - Parameter now: The clock (tests step their own).
    init(lifetime: Duration, capacity: Int = 10_000, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
        self.now = now
    }

    /// Whether anything is kept at all.
    var isEnabled: Bool { lifetime > .zero }

    /// What is kept for `key`: a value stored less than its lifetime ago, and whether to renew it.
    func lookup(_ key: Key) -> Lookup {
        guard isEnabled else { return .miss }
        let now = now()
        return state.withLock { state in
            guard var entry = state.entries[key] else { return .miss }
            guard entry.expires > now else {
                state.entries[key] = nil
                return .miss
            }
            guard entry.renewAfter <= now, !entry.renewing else { return .hit(entry.value) }
            entry.renewing = true
            state.entries[key] = entry
            return .renew(entry.value)
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
        let now = now()
        var expires = now + lifetime
        if let until { expires = min(expires, until) }
        guard expires > now else { return }
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity, state.entries[key] == nil {
                state.entries = state.entries.filter { $0.value.expires > now }
                if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            }
            state.entries[key] = Entry(value: value, expires: expires, renewAfter: now + lifetime / 2)
        }
    }

    /// Forgets `key`'s entry (a renewal found it gone from the database), unless an invalidation happened
    /// since `generation` was read.
    func remove(_ key: Key, readAt generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            state.entries[key] = nil
        }
    }

    /// A renewal that failed: the next lookup past the renewal time tries again.
    func abandonRenewal(of key: Key) {
        state.withLock { state in state.entries[key]?.renewing = false }
    }

    /// Forgets every entry, and any value being read at the time.
    func invalidate() {
        state.withLock { state in
            state.entries.removeAll(keepingCapacity: true)
            state.generation &+= 1
        }
    }
}
