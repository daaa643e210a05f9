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
    /// Opens an object for random reads.
    func reader(key: String) throws -> any ObjectReader
    /// Deletes an object; deleting a missing object is not an error.
    func delete(key: String) throws
    /// Every object key with its size, for verification and orphan sweeps.
    func list() throws -> [ObjectInfo]
    /// A directory on the local file system where new objects can be assembled before `store`.
    var stagingDirectory: URL { get }
}

/// Random access to one stored object.
public protocol ObjectReader: AnyObject {
    /// Reads exactly `length` bytes at `offset` into `buffer` (which has at least that capacity).
    func read(offset: Int64, length: Int, into buffer: UnsafeMutableRawBufferPointer) throws
    /// The object's size in bytes.
    var size: Int64 { get }
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
