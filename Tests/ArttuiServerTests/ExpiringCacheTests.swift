@testable import ArttuiServer
import Synchronization
import Testing

/// The account cache's lifetime, renewal and invalidation rules, on a clock the test steps.
@Suite("Expiring cache")
struct ExpiringCacheTests {
    /// A clock that moves only when told.
    private final class SteppedClock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        var now: ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
    }

    private func cache(_ clock: SteppedClock) -> ExpiringCache<String, Int> {
        ExpiringCache(lifetime: .seconds(10), now: { clock.now })
    }

    private func value(_ lookup: ExpiringCache<String, Int>.Lookup) -> (value: Int?, renew: Bool) {
        switch lookup {
        case .miss: return (nil, false)
        case .hit(let value): return (value, false)
        case .renew(let value): return (value, true)
        }
    }

    @Test func halfwayThroughItsLifetimeOneLookupIsToldToRenewWhileTheOthersKeepTheValue() {
        let clock = SteppedClock()
        let cache = cache(clock)
        #expect(value(cache.lookup("token")) == (nil, false))
        cache.store(1, for: "token", readAt: cache.generation())
        clock.advance(.seconds(4))
        #expect(value(cache.lookup("token")) == (1, false))
        clock.advance(.seconds(2))
        #expect(value(cache.lookup("token")) == (1, true))
        #expect(value(cache.lookup("token")) == (1, false))
        // The renewal's answer starts a new lifetime.
        cache.store(2, for: "token", readAt: cache.generation())
        clock.advance(.seconds(9))
        #expect(value(cache.lookup("token")) == (2, true))
    }

    @Test func anEntryIsNeverUsedPastItsLifetimeOrItsOwnEndEvenWhileARenewalIsUnderWay() {
        let clock = SteppedClock()
        let cache = cache(clock)
        cache.store(1, for: "token", readAt: cache.generation())
        clock.advance(.seconds(6))
        #expect(value(cache.lookup("token")) == (1, true))
        clock.advance(.seconds(4))
        #expect(value(cache.lookup("token")) == (nil, false))
        // A token that expires in 2 s is kept 2 s, not 10.
        cache.store(3, for: "short", readAt: cache.generation(), until: clock.now + .seconds(2))
        clock.advance(.seconds(2))
        #expect(value(cache.lookup("short")) == (nil, false))
    }

    @Test func aFailedRenewalLetsTheNextLookupTryAgainAndAGoneValueIsForgotten() {
        let clock = SteppedClock()
        let cache = cache(clock)
        cache.store(1, for: "token", readAt: cache.generation())
        clock.advance(.seconds(6))
        #expect(value(cache.lookup("token")).renew)
        cache.abandonRenewal(of: "token")
        #expect(value(cache.lookup("token")) == (1, true))
        cache.remove("token", readAt: cache.generation())
        #expect(value(cache.lookup("token")) == (nil, false))
    }

    @Test func anInvalidationDropsEverythingAndWhatWasReadBeforeIt() {
        let clock = SteppedClock()
        let cache = cache(clock)
        cache.store(1, for: "token", readAt: cache.generation())
        let before = cache.generation()
        cache.invalidate()
        #expect(value(cache.lookup("token")) == (nil, false))
        cache.store(2, for: "token", readAt: before)
        #expect(value(cache.lookup("token")) == (nil, false))
        cache.store(3, for: "token", readAt: cache.generation())
        cache.remove("token", readAt: before)
        #expect(value(cache.lookup("token")) == (3, false))
        // A lifetime of zero keeps nothing.
        let off = ExpiringCache<String, Int>(lifetime: .zero)
        off.store(1, for: "token", readAt: off.generation())
        #expect(value(off.lookup("token")) == (nil, false))
    }
}
