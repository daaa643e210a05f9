@testable import ArttuiServer
import NIOCore
import Synchronization
import Testing

/// A records answer goes out window by window while the next is read: the client has the first
/// records before the last pack is read, and no more than one window is read ahead.
@Suite("Streamed records")
struct StreamedRecordsTests {
    private struct ReadFailed: Error {}

    private static func window(_ index: Int) -> ByteBuffer { ByteBuffer(bytes: [UInt8(index)]) }

    @Test func windowsGoOutInOrderWhileTheNextIsRead() async throws {
        let events = Mutex<[String]>([])
        let count = 4
        var written: [UInt8] = []
        try await StreamedRecords.send(
            first: Self.window(0), count: count,
            read: { index in
                events.withLock { $0.append("read \(index)") }
                return Self.window(index)
            },
            write: { buffer in
                let index = Int(buffer.getInteger(at: buffer.readerIndex, as: UInt8.self)!)
                // The next window is read while this one is written: wait (bounded) to see it start.
                if index + 1 < count {
                    for _ in 0..<2000 where !events.withLock({ $0.contains("read \(index + 1)") }) {
                        try await Task.sleep(for: .milliseconds(1))
                    }
                }
                events.withLock { $0.append("wrote \(index)") }
                written.append(UInt8(index))
            })
        #expect(written == [0, 1, 2, 3])
        let order = events.withLock { $0 }
        #expect(order == ["read 1", "wrote 0", "read 2", "wrote 1", "read 3", "wrote 2", "wrote 3"])
    }

    @Test func aWindowThatCannotBeReadStopsTheAnswerAfterWhatWentOut() async throws {
        let written = Mutex<[UInt8]>([])
        await #expect(throws: ReadFailed.self) {
            try await StreamedRecords.send(
                first: Self.window(0), count: 3,
                read: { index in
                    if index == 2 { throw ReadFailed() }
                    return Self.window(index)
                },
                write: { buffer in written.withLock { $0.append(buffer.getInteger(at: buffer.readerIndex, as: UInt8.self)!) } })
        }
        #expect(written.withLock { $0 } == [0, 1])
    }

    @Test func aSingleWindowIsWrittenWithoutReadingMore() async throws {
        let reads = Mutex(0)
        var written = 0
        try await StreamedRecords.send(
            first: Self.window(0), count: 1, read: { _ in reads.withLock { $0 += 1 }; return Self.window(9) },
            write: { _ in written += 1 })
        #expect(written == 1)
        #expect(reads.withLock { $0 } == 0)
    }
}
