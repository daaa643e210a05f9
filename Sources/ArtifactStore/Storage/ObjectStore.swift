import Foundation

/// Where a store keeps its bytes: immutable objects (pack files) under string keys.
///
/// The embedded store keeps them as files in a directory (`LocalObjectStore`); a team store can keep
/// them in an S3-compatible bucket. Objects are written once, whole, and never modified in place:
/// compaction writes a new object and deletes the old one.
public protocol ObjectStore: Sendable {
    /// Makes the content of `file` durable under `key`, replacing nothing: keys are unique.
    /// The local file may be moved rather than copied; the caller must not use it afterwards.
    func store(key: String, movingFile file: URL) throws
    /// Makes `bytes` durable under `key`, replacing nothing. A store that sends objects elsewhere
    /// sends them straight from memory; the default writes a staging file for `store(key:movingFile:)`.
    func store(key: String, bytes: Data) throws
    /// Opens an object for random reads.
    func reader(key: String) throws -> any ObjectReader
    /// Reads several byte ranges of one object at once, without a reader's look-ups and read-ahead: a
    /// store behind a network fetches nearby ranges together, one request each. A range may run past
    /// the object's end (its piece then stops there); one that starts past it is an error.
    /// - Returns: the object's size and each range's bytes, in the order asked (pieces may share storage).
    /// - Throws: `StoreError.io` when the object is missing, `.corruptData` when a range starts past its end.
    func read(key: String, ranges: [Range<Int64>]) throws -> ObjectRanges
    /// Reads byte ranges of one object as `read(key:ranges:)` does, handing the bytes to `body` piece
    /// by piece as they come (the range's index, where in the range the piece starts, its bytes), so a
    /// caller can copy them where they belong without a copy of each range first.
    /// - Returns: the object's size.
    func read(
        key: String, ranges: [Range<Int64>], forEachPiece body: (Int, Int, UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int64
    /// Deletes an object; deleting a missing object is not an error.
    func delete(key: String) throws
    /// Every object key with its size, for verification and orphan sweeps.
    func list() throws -> [ObjectInfo]
    /// A directory on the local file system where new objects can be assembled before `store`.
    var stagingDirectory: URL { get }
}

extension ObjectStore {
    public func store(key: String, bytes: Data) throws {
        let file = stagingDirectory.appendingPathComponent("\(UUID().uuidString).object")
        do {
            try bytes.write(to: file)
            try store(key: key, movingFile: file)
        } catch {
            try? FileManager.default.removeItem(at: file)
            if error is StoreError { throw error }
            throw StoreError.io(operation: "store", path: key, reason: FileSystem.reason(of: error))
        }
    }

    public func read(key: String, ranges: [Range<Int64>]) throws -> ObjectRanges {
        let reader = try reader(key: key)
        let pieces = try ranges.map { range in
            guard !range.isEmpty else { return Data() }
            guard range.lowerBound >= 0, range.lowerBound < reader.size else {
                throw StoreError.corruptData(
                    what: "object \(key)", detail: "ends at \(reader.size), expected bytes at \(range.lowerBound)")
            }
            let length = Int(min(range.upperBound, reader.size) - range.lowerBound)
            var piece = Data(count: length)
            try piece.withUnsafeMutableBytes { try reader.read(offset: range.lowerBound, length: length, into: $0) }
            return piece
        }
        return ObjectRanges(size: reader.size, pieces: pieces)
    }

    public func read(
        key: String, ranges: [Range<Int64>], forEachPiece body: (Int, Int, UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int64 {
        let read = try read(key: key, ranges: ranges)
        for (index, piece) in read.pieces.enumerated() where !piece.isEmpty {
            try piece.withUnsafeBytes { try body(index, 0, $0) }
        }
        return read.size
    }
}

/// What `ObjectStore.read(key:ranges:)` read: the object's size and the bytes of each range asked for.
public struct ObjectRanges: Sendable {
    /// The whole object's size in bytes.
    public var size: Int64
    /// Each range's bytes, in the order asked; shorter than asked where the range ran past the end.
    public var pieces: [Data]

    /// Creates a result.
    public init(size: Int64, pieces: [Data]) {
        self.size = size
        self.pieces = pieces
    }
}

/// Random access to one stored object.
public protocol ObjectReader: AnyObject {
    /// Reads exactly `length` bytes at `offset` into `buffer` (which has at least that capacity).
    func read(offset: Int64, length: Int, into buffer: UnsafeMutableRawBufferPointer) throws
    /// The object's size in bytes.
    var size: Int64 { get }
    /// Hands exactly `length` bytes at `offset` to `body`: in place where the object allows it (a local
    /// file's pages mapped into memory, so a restore hashes and writes them without copying them into a
    /// buffer first), else read into `scratch`, which grows as needed. The bytes are valid only
    /// during `body`.
    func withBytes(
        offset: Int64, length: Int, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws
}

extension ObjectReader {
    public func withBytes(
        offset: Int64, length: Int, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try withCopiedBytes(offset: offset, length: length, scratch: &scratch, body)
    }

    /// `withBytes` by `read(offset:length:into:)` into `scratch`: what a reader without in-place
    /// access does, and what one with it falls back to.
    public func withCopiedBytes(
        offset: Int64, length: Int, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        if scratch.count < length { scratch = [UInt8](repeating: 0, count: length) }
        try scratch.withUnsafeMutableBytes { try read(offset: offset, length: length, into: $0) }
        try scratch.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
    }
}

/// A stored object's key and size.
public struct ObjectInfo: Hashable, Sendable {
    /// The object's key.
    public var key: String
    /// Its size in bytes.
    public var size: Int64

    /// Creates an entry.
    public init(key: String, size: Int64) {
        self.key = key
        self.size = size
    }
}
