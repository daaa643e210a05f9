#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on a file, held until `release()`; the kernel drops it if the process dies.
final class FileLock {
    private var descriptor: Int32

    /// Blocks until the lock on `path` (created if missing) is held.
    init(path: String) throws {
        descriptor = try openFile(path, O_RDWR | O_CREAT, mode: 0o644, operation: "create lock")
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let error = systemError("lock", path)
            close(descriptor)
            throw error
        }
    }

    /// Releases the lock.
    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
