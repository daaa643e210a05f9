@testable import ArtifactStoreS3
import Foundation
import Synchronization
import Testing

/// The whole objects an S3 store keeps after reading them: fetched once however many readers want
/// them at once, dropped least recently used first beyond the budget, never kept when too large.
@Suite struct RecentObjectsTests {
    private struct FetchFailed: Error {}

    @Test func theLeastRecentlyUsedObjectGoesFirstBeyondTheBudget() throws {
        let recent = RecentObjects(capacity: 10, largestObject: 10)
        let fetches = Mutex<[String]>([])
        func read(_ key: String) throws -> Data? {
            try recent.object(key) { _ in
                fetches.withLock { $0.append(key) }
                return Data(repeating: UInt8(key.utf8.first!), count: 4)
            }
        }
        #expect(try read("a") == Data(repeating: UInt8(ascii: "a"), count: 4))
        _ = try read("b")
        _ = try read("a")  // kept; now the most recently used
        _ = try read("c")  // 12 bytes: b goes
        #expect(recent.keptBytes == 8)
        _ = try read("a")
        _ = try read("b")
        #expect(fetches.withLock { $0 } == ["a", "b", "c", "b"])
        recent.remove("a")
        _ = try read("a")
        #expect(fetches.withLock { $0.last } == "a")
    }

    @Test func anObjectTooLargeIsNotKeptNorFetchedWholeAgain() throws {
        let recent = RecentObjects(capacity: 100, largestObject: 10)
        let fetches = Mutex(0)
        for _ in 0..<3 {
            let whole = try recent.object("big") { largest in
                fetches.withLock { $0 += 1 }
                #expect(largest == 10)
                return nil
            }
            #expect(whole == nil)
        }
        #expect(fetches.withLock { $0 } == 1)
        #expect(recent.keptBytes == 0)
    }

    @Test func readersOfTheSameObjectAtOnceShareOneFetch() async throws {
        let recent = RecentObjects(capacity: 1 << 20, largestObject: 1 << 20)
        let fetches = Mutex(0)
        let results = Mutex<[Data?]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let whole = try? recent.object("pack") { _ in
                fetches.withLock { $0 += 1 }
                Thread.sleep(forTimeInterval: 0.05)
                return Data(repeating: 7, count: 1000)
            }
            results.withLock { $0.append(whole) }
        }
        #expect(fetches.withLock { $0 } == 1)
        #expect(results.withLock { $0 }.allSatisfy { $0 == Data(repeating: 7, count: 1000) })
    }

    @Test func aFailedFetchIsThrownAndTheNextReaderTriesAgain() throws {
        let recent = RecentObjects(capacity: 100, largestObject: 100)
        #expect(throws: FetchFailed.self) { try recent.object("pack") { _ in throw FetchFailed() } }
        #expect(try recent.object("pack") { _ in Data([1, 2, 3]) } == Data([1, 2, 3]))
        #expect(recent.keptBytes == 3)
    }
}
