@testable import ArtifactStore
@testable import ArtifactStoreS3
import Foundation
import Synchronization
import Testing

/// The whole objects an S3 store keeps after reading them: fetched once however many readers want
/// them at once, dropped least recently used first beyond the budget, never kept when too large,
/// read into buffers that dropped objects give back.
@Suite struct RecentObjectsTests {
    private struct FetchFailed: Error {}

    /// Writes `bytes` at the start of `buffer` and returns their count, as an S3 fetch does.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer, with bytes: Data) -> Int {
        bytes.copyBytes(to: buffer)
        return bytes.count
    }

    @Test func theLeastRecentlyUsedObjectGoesFirstBeyondTheBudget() throws {
        let recent = RecentObjects(capacity: 10, largestObject: 10)
        let fetches = Mutex<[String]>([])
        func read(_ key: String) throws -> Data? {
            try recent.object(key) { buffer in
                fetches.withLock { $0.append(key) }
                return Self.fill(buffer, with: Data(repeating: UInt8(key.utf8.first!), count: 4))
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
            let whole = try recent.object("big") { buffer in
                fetches.withLock { $0 += 1 }
                #expect(buffer.count == 10)
                return nil
            }
            #expect(whole == nil)
        }
        #expect(fetches.withLock { $0 } == 1)
        #expect(recent.keptBytes == 0)
        #expect(recent.buffers.idleCapacities.count == 1)
    }

    @Test func readersOfTheSameObjectAtOnceShareOneFetch() async throws {
        let recent = RecentObjects(capacity: 1 << 20, largestObject: 1 << 20)
        let fetches = Mutex(0)
        let results = Mutex<[Data?]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let whole = try? recent.object("pack") { buffer in
                fetches.withLock { $0 += 1 }
                Thread.sleep(forTimeInterval: 0.05)
                return Self.fill(buffer, with: Data(repeating: 7, count: 1000))
            }
            results.withLock { $0.append(whole) }
        }
        #expect(fetches.withLock { $0 } == 1)
        #expect(results.withLock { $0 }.allSatisfy { $0 == Data(repeating: 7, count: 1000) })
    }

    @Test func aFailedFetchIsThrownAndTheNextReaderTriesAgain() throws {
        let recent = RecentObjects(capacity: 100, largestObject: 100)
        #expect(throws: FetchFailed.self) { try recent.object("pack") { _ in throw FetchFailed() } }
        #expect(recent.buffers.idleCapacities.count == 1)
        #expect(try recent.object("pack") { Self.fill($0, with: Data([1, 2, 3])) } == Data([1, 2, 3]))
        #expect(recent.keptBytes == 3)
    }

    @Test func anObjectDroppedLendsItsBufferToTheNextReadButNotWhileItsBytesAreInUse() throws {
        // Larger than the bytes `Data` would copy into itself rather than keep in the buffer.
        let size = 4096
        let recent = RecentObjects(capacity: size, largestObject: size)
        var buffers: [String: UnsafeMutableRawPointer] = [:]
        func read(_ key: String) throws -> Data? {
            try recent.object(key) { buffer in
                buffers[key] = buffer.baseAddress!
                return Self.fill(buffer, with: Data(repeating: UInt8(key.utf8.first!), count: size))
            }
        }
        _ = try read("a")
        _ = try read("b")  // a goes, and nothing else holds its bytes: its buffer is idle
        _ = try read("c")
        #expect(buffers["c"] == buffers["a"])
        // A piece of c still in use (a request's answer being cut from it) keeps c's buffer from the next read.
        let piece = try #require(try read("c"))[2..<2000]
        _ = try read("d")  // b's idle buffer; c goes from the budget, its bytes stay
        _ = try read("e")  // d goes; c's buffer is still not idle
        #expect(buffers["d"] == buffers["b"])
        #expect(buffers["e"] != buffers["c"])
        #expect(piece.elementsEqual(repeatElement(UInt8(ascii: "c"), count: 1998)))
    }
}
