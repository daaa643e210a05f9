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

    /// Whether clones work between a cache and a download's destination, learnt from the first
    /// attempt so that a file system without them costs one failed try, not one per file.
    final class Support: Sendable {
        private let state = Atomic<Int>(0)  // 0 unknown, 1 works, -1 does not

        /// False once a clone has failed for lack of support.
        var mayWork: Bool { state.load(ordering: .relaxed) >= 0 }

        /// Records the outcome of an attempt.
        func note(worked: Bool) { state.store(worked ? 1 : -1, ordering: .relaxed) }
    }
}
