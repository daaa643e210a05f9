#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Reflink clones (`FICLONE`): a new file sharing another's blocks, copied by the file system only
/// when one of them is written. Btrfs, XFS (with reflink), bcachefs and others support them; ext4
/// does not.
enum Reflink {
    /// Makes `destination` (an empty, writable file) a clone of `source` (readable).
    /// - Returns: false when the file systems cannot clone between the two files.
    /// - Throws: `StoreError.io` for any other failure.
    static func clone(from source: Int32, to destination: Int32, path: String) throws -> Bool {
        #if os(Linux)
        // _IOW(0x94, 9, int), which Swift does not import.
        let ficlone: UInt = 0x4004_9409
        while ioctl(destination, ficlone, source) != 0 {
            if errno == EINTR { continue }
            if [EOPNOTSUPP, ENOTTY, EXDEV, EINVAL, ENOSYS, EPERM].contains(errno) { return false }
            throw systemError("clone into", path)
        }
        return true
        #else
        return false
        #endif
    }

    /// Whether clones work between a cache and a download's destination, found out once by a probe
    /// made before the first file is written: a file built expecting a clone that then failed had
    /// to be read back, hashed and written again to fill the cache (on ext4, the first file of
    /// each worker: two of few-large's nine 64 MiB files).
    final class Support: Sendable {
        private let state = Mutex<Bool?>(nil)

        /// The outcome of `probe`, run by the first caller only; the others wait for it.
        func work(probe: () throws -> Bool) rethrows -> Bool {
            try state.withLock { known in
                if let known { return known }
                let works = try probe()
                known = works
                return works
            }
        }
    }
}
