#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation
import GRDB
@testable import ArtifactStore

/// A cache in a fresh temporary directory, removed when `body` returns.
func withTemporaryCache(_ body: (FileCache, URL) throws -> Void) throws {
    let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("arttui-cache-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let cache = try FileCache(directory: root.appendingPathComponent("cache"))
    try body(cache, root)
}

/// SHA-256 of `data`, lowercase hex.
func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}

/// A file's content together with its digest and size.
struct Blob {
    let data: Data
    var digest: String { sha256Hex(data) }
    var size: Int64 { Int64(data.count) }

    init(_ text: String) { data = Data(text.utf8) }
    init(repeating byte: UInt8, count: Int) { data = Data(repeating: byte, count: count) }
}

extension FileCache {
    /// Inserts `blob`, writing it in two pieces so the incremental hash is exercised.
    @discardableResult
    func insert(_ blob: Blob, owner: CacheOwner? = nil) throws -> URL {
        try insert(digest: blob.digest, size: blob.size, owner: owner) { sink in
            let half = blob.data.count / 2
            try sink.write(blob.data.prefix(half))
            try sink.write(blob.data.dropFirst(half))
        }
    }

    /// Files under obj/ and their total size, found by walking the directory.
    func walkObjects() throws -> (bytes: Int64, files: Int) {
        var bytes: Int64 = 0, files = 0
        let enumerator = FileManager.default.enumerator(atPath: objectRoot)
        while let relative = enumerator?.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: objectRoot + "/" + relative)
            if attributes[.type] as? FileAttributeType == .typeRegular {
                bytes += (attributes[.size] as? NSNumber)?.int64Value ?? 0
                files += 1
            }
        }
        return (bytes, files)
    }

    /// Adds `count` index rows of `size` bytes each, used in order, in one transaction; with
    /// `files`, also a file of that size on disk for each (slow: for measurements only).
    func seedRows(count: Int, size: Int64, files: Bool = false) throws {
        let content = Data(count: Int(size))
        try index.database.write { db in
            let statement = try db.makeStatement(sql: """
                INSERT INTO entry (digest, size, modifiedNs, inode, changedNs, lastUsed) VALUES (?, ?, 0, ?, 0, ?)
                """)
            for number in 0..<count {
                let digest = String(format: "%064x", number)
                var inode: Int64 = 0
                if files {
                    let path = objectPath(digest)
                    try FileManager.default.createDirectory(
                        atPath: String(path.dropLast(63)), withIntermediateDirectories: true)
                    try content.write(to: URL(fileURLWithPath: path))
                    inode = try FileSignature.of(path: path)?.inode ?? 0
                }
                try statement.execute(arguments: [digest, size, inode, try CacheIndex.tick(db)])
            }
        }
    }
}

/// Permission bits of the file at `path`, following symbolic links.
func permissions(_ path: String) throws -> Int {
    var status = stat()
    guard stat(path, &status) == 0 else { throw StoreError.io(operation: "stat", path: path, reason: "errno \(errno)") }
    return Int(status.st_mode & 0o7777)
}
