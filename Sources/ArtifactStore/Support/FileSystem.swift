import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Thin wrappers over POSIX calls that throw `StoreError.io` with the system's reason.
enum FileSystem {
    /// The text of the current `errno`.
    static func lastError() -> String { String(cString: strerror(errno)) }

    /// Flushes a file or directory to stable storage.
    static func fsync(path: String) throws {
        try FaultInjection.check(.fsync, operation: "fsync", path: path)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(operation: "open", path: path, reason: lastError()) }
        defer { close(fd) }
        if Glibc.fsync(fd) != 0 && errno != EINVAL {
            throw StoreError.io(operation: "fsync", path: path, reason: lastError())
        }
    }

    /// Atomically renames a file.
    static func rename(_ from: String, to: String) throws {
        try FaultInjection.check(.rename, operation: "rename", path: "\(from) to \(to)")
        if Glibc.rename(from, to) != 0 {
            throw StoreError.io(operation: "rename", path: "\(from) to \(to)", reason: lastError())
        }
    }

    /// The reason of a Foundation or POSIX error, in one line.
    static func reason(of error: Error) -> String {
        if let storeError = error as? StoreError { return storeError.description }
        // Foundation's file errors (NSError, and CocoaError, whose description dumps its user info) carry
        // the POSIX error underneath: its text is the one line a user needs.
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        // A Swift error that words itself (an object store's, say) says more than NSError's bridge,
        // which prints only "The operation could not be completed. (Type error 1.)". Asked of the dynamic
        // type: on Linux every `any Error` casts to CustomStringConvertible through that bridge.
        if !(type(of: error) is NSError.Type), !(error is CocoaError),
           (type(of: error) as Any.Type) is any CustomStringConvertible.Type
        {
            return String(describing: error)
        }
        return ns.localizedDescription
    }
}
