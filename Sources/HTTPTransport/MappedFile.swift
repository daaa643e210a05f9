import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file's content mapped read-only into memory for the length of one request, so a request body
/// from a file goes to the socket without being read into a buffer first.
enum MappedFile {
    /// Calls `body` with the file's bytes, or with nil (and `errno` set) when it cannot be read.
    static func withContents<Result>(of path: String, _ body: (UnsafeRawBufferPointer?) -> Result) -> Result {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return body(nil) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return body(nil) }
        let size = Int(status.st_size)
        guard size > 0 else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let mapped, mapped != MAP_FAILED else { return body(nil) }
        defer { munmap(mapped, size) }
        // One pass front to back: let the kernel read ahead.
        _ = madvise(mapped, size, MADV_SEQUENTIAL)
        return body(UnsafeRawBufferPointer(start: mapped, count: size))
    }
}
