import Foundation
import Testing
@testable import ArtifactStore

@Suite struct PackBuffersTests {
    @Test func aBufferHandedBackIsHandedOutAgainForAPackItHoldsAndBigOnesAreNotKept() {
        let buffers = PackBuffers(keeping: 2, largest: 16 << 20)
        let first = buffers.take(5 << 20)
        #expect(first.count == 5 << 20 && first.capacity >= first.count)
        buffers.give(first)
        let again = buffers.take(6 << 20)
        #expect(again.start == first.start && again.count == 6 << 20)
        // Larger than any idle buffer: new memory.
        let larger = buffers.take(first.capacity + 1)
        #expect(larger.start != first.start)
        buffers.give(again)
        buffers.give(larger)
        // Both kept: the larger one serves a request only it can hold.
        #expect(buffers.take(first.capacity + 1).start == larger.start)
        #expect(buffers.idleCapacities == [first.capacity])
        buffers.give(buffers.take(20 << 20))
        #expect(buffers.idleCapacities == [first.capacity])
    }

    @Test func withEveryPlaceTakenTheSmallestBufferMakesWayForALargerOne() {
        let buffers = PackBuffers(keeping: 1, largest: 64 << 20)
        let small = buffers.take(1 << 20)
        let large = buffers.take(12 << 20)
        buffers.give(small)
        buffers.give(large)
        #expect(buffers.take(1 << 20).start == large.start)
    }

    @Test func aBufferWrappedAsDataComesBackOnlyWhenTheLastCopyIsGone() {
        let buffers = PackBuffers(keeping: 1)
        let buffer = buffers.take(1 << 20)
        buffer.bytes.initializeMemory(as: UInt8.self, repeating: 9)
        var kept: Data? = buffers.data(buffer)
        do {
            let copy = kept!
            kept = nil
            // Still held by `copy`: a new take gets other memory.
            let other = buffers.take(1 << 20)
            #expect(other.start != buffer.start)
            other.start.deallocate()
            #expect(copy.allSatisfy { $0 == 9 })
        }
        #expect(buffers.take(1 << 20).start == buffer.start)
    }

    @Test func idleBuffersAreFreedOnceNoneWasHandedBackForAWhile() async throws {
        let buffers = PackBuffers(keeping: 2, idleLifetime: .seconds(1))
        let firstGive = ContinuousClock.now
        buffers.give(buffers.take(1 << 20))
        try await Task.sleep(for: .milliseconds(600))
        // Handed back again before the lifetime ran out: still kept after the first hand-back's second.
        let secondGive = ContinuousClock.now
        buffers.give(buffers.take(1 << 20))
        try await Task.sleep(until: firstGive + .milliseconds(1200))
        // (On a machine so loaded that the second lifetime passed too, either answer is right.)
        if secondGive - firstGive < .milliseconds(900), ContinuousClock.now - secondGive < .milliseconds(900) {
            #expect(buffers.idleCapacities.count == 1)
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while !buffers.idleCapacities.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(buffers.idleCapacities.isEmpty)
    }
}
