import Foundation
import Synchronization
@testable import ArtifactStore

/// The contents a source was asked for, in order.
final class OrderRecorder: Sendable {
    let digests = Mutex<[String]>([])
}

/// How many times a source was read with every chunk checked.
final class ReadCounter: Sendable {
    let count = Mutex(0)
}

/// Contents held in memory, by digest: a chunk source for restores without a store.
///
/// Each content is one chunk, handed out whole or in pieces of `pieceSize`; checked reads are
/// counted in `checkedReads`; the content `dropLastPieceOf` is handed out without its last piece.
final class MemorySource: ContentChunkSource {
    let contents: [String: [UInt8]]
    let checkedReads: ReadCounter?
    let asked: OrderRecorder?
    let delay: TimeInterval
    let pieceSize: Int
    let dropLastPieceOf: String?

    init(
        _ contents: [String: [UInt8]], checkedReads: ReadCounter? = nil, asked: OrderRecorder? = nil,
        delay: TimeInterval = 0, pieceSize: Int = .max, dropLastPieceOf: String? = nil
    ) {
        self.contents = contents
        self.checkedReads = checkedReads
        self.asked = asked
        self.delay = delay
        self.pieceSize = pieceSize
        self.dropLastPieceOf = dropLastPieceOf
    }

    func forEachChunk(
        ofContent digest: String, checkingEach: Bool, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard let bytes = contents[digest] else {
            throw StoreError.corruptData(what: "content \(digest.prefix(12))", detail: "not in memory")
        }
        asked?.digests.withLock { $0.append(digest) }
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        if checkingEach {
            checkedReads?.count.withLock { $0 += 1 }
            guard sha256Hex(Data(bytes)) == digest else {
                throw StoreError.corruptData(what: "chunk \(digest.prefix(12))", detail: "does not match its SHA-256")
            }
        }
        var starts = Array(stride(from: 0, to: max(bytes.count, 1), by: pieceSize))
        if digest == dropLastPieceOf { starts.removeLast() }
        try bytes.withUnsafeBytes { all in
            for start in starts {
                try body(UnsafeRawBufferPointer(rebasing: all[start..<start + min(pieceSize, all.count - start)]))
            }
        }
    }
}
