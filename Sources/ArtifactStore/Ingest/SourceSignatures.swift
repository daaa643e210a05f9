import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The stat signatures of a draft's files, which a put compares with its stat cache: the one way both
/// the embedded store's put and the cutting for a team server's put take them.
enum SourceSignatures {
    /// The signatures of `sources`, taken on all cores (a tree of small files is mostly stat calls);
    /// an entry made in memory has no file, and gets its size only.
    /// - Throws: `StoreError.io` naming the first file that cannot be stat'ed.
    static func of(_ sources: [ArtifactDraft.Source]) throws -> [FileSignature] {
        let empty = FileSignature(size: 0, modifiedNs: 0, inode: 0, changedNs: 0)
        var signatures = [FileSignature](repeating: empty, count: sources.count)
        let failure = Mutex<Error?>(nil)
        let batch = 256
        signatures.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: (sources.count + batch - 1) / batch) { part in
                var directory = DirectoryStat()
                defer { directory.close() }
                for index in part * batch..<min(sources.count, (part + 1) * batch) {
                    if let data = sources[index].data {
                        output[index] = FileSignature(size: Int64(data.count), modifiedNs: 0, inode: 0, changedNs: 0)
                        continue
                    }
                    do {
                        output[index] = try directory.signature(of: sources[index].filePath)
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                        return
                    }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return signatures
    }

    /// Reads the file at `path` through `read`, given its open descriptor, and returns what `read`
    /// returned with the file's signature taken on that descriptor once read, and the wall clock just
    /// before it (for the stat cache's racy window): what a put compares with the signature taken
    /// before (``checkUnchanged(_:bytes:since:path:)``), to catch a file that changed while it was read.
    /// Taken on the descriptor, the signature describes the very file read, and costs no second lookup
    /// of its path (a tenth of the kernel time of a put of 20,000 files).
    /// - Throws: `StoreError.io` when the file cannot be opened or stat'ed, or what `read` throws.
    static func reading<Value>(fileAt path: String, _ read: (Int32) throws -> Value) throws
        -> (value: Value, signature: FileSignature, checkedNs: Int64)
    {
        let descriptor = try openFile(path, O_RDONLY, operation: "open")
        defer { _ = closeDescriptor(descriptor) }
        let value = try read(descriptor)
        // Read before the stat, so that the stat happened no earlier than this.
        let checkedNs = wallClockNanoseconds()
        return (value, try FileSignature.of(descriptor: descriptor, path: path), checkedNs)
    }

    /// Checks that the file read (signature `after`, `bytes` read) is the one `expected` described.
    /// - Throws: `StoreError.io`: "the file changed while it was being read".
    static func checkUnchanged(_ after: FileSignature, bytes: Int64, since expected: FileSignature, path: String) throws {
        guard after == expected, bytes == expected.size else {
            throw StoreError.io(operation: "read", path: path, reason: "the file changed while it was being read")
        }
    }

    /// The signature of one file to add, following symbolic links (the draft checked where they lead).
    static func signature(ofFileAt path: String) throws -> FileSignature {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StoreError.io(operation: "read", path: path, reason: FileSystem.lastError())
        }
        return FileSignature(info)
    }
}

/// Stats files relative to their open directory, as `find` does: the sources are in path order, so
/// one directory serves a run of them, and the kernel resolves a name instead of the whole path from
/// the root for each file (a tree of small files is mostly stat calls).
private struct DirectoryStat {
    private var path = ""
    private var descriptor: Int32 = -1

    /// The stat signature of the file at `filePath`, following symbolic links.
    mutating func signature(of filePath: String) throws -> FileSignature {
        var info = stat()
        let utf8 = filePath.utf8
        guard let slash = utf8.lastIndex(of: UInt8(ascii: "/")), slash != utf8.startIndex else {
            return try SourceSignatures.signature(ofFileAt: filePath)
        }
        let parent = filePath[..<slash]
        if descriptor < 0 || parent != path {
            close()
            path = String(parent)
            descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        guard descriptor >= 0 else { return try SourceSignatures.signature(ofFileAt: filePath) }
        let name = String(filePath[utf8.index(after: slash)...])
        guard fstatat(descriptor, name, &info, 0) == 0 else {
            throw StoreError.io(operation: "read", path: filePath, reason: FileSystem.lastError())
        }
        return FileSignature(info)
    }

    mutating func close() {
        if descriptor >= 0 { _ = closeDescriptor(descriptor) }
        descriptor = -1
    }
}

private let closeDescriptor = Glibc.close
