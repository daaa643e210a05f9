import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file a user names on the command line (`--metadata @FILE`, `--table NAME=FILE`, `--ca-cert FILE`,
/// `--token-file FILE`), read whole, with one wording of why it cannot be.
public enum NamedFile {
    /// The file's bytes.
    /// - Parameter operation: what reading it is for, as in "cannot \(operation) PATH: reason".
    /// - Throws: `StoreError.io` naming the path and the system's reason: no such file, a directory, no permission.
    public static func contents(atPath path: String, operation: String) throws -> Data {
        func failure(_ reason: String) -> StoreError { StoreError.io(operation: operation, path: path, reason: reason) }
        // POSIX rather than Foundation: on Linux Foundation words a directory as "NSCocoaErrorDomain error 256".
        let descriptor = try openFile(path, O_RDONLY, operation: operation)
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(FileSystem.lastError()) }
        if status.st_mode & S_IFMT == S_IFDIR { throw failure("it is a directory, not a file") }
        do {
            return try FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).readToEnd() ?? Data()
        } catch {
            throw failure(FileSystem.reason(of: error))
        }
    }
}
