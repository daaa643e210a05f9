import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

extension SQLiteCatalog {
    /// A database error in one line, saying so when the real cause is a full disk.
    ///
    /// SQLite reports a full disk as "disk I/O error" when it cannot create its WAL or shared-memory
    /// file, which hides the one thing the user can act on.
    static func explain(_ error: DatabaseError, path: String) -> String {
        let message = error.message ?? error.description
        guard error.resultCode.primaryResultCode == .SQLITE_IOERR || error.resultCode.primaryResultCode == .SQLITE_FULL
        else { return message }
        var info = statvfs()
        let directory = (path as NSString).deletingLastPathComponent
        guard statvfs(directory.isEmpty ? "." : directory, &info) == 0 else { return message }
        let free = UInt64(info.f_bavail) * UInt64(info.f_frsize)
        return free < 256 << 10 ? "\(message): No space left on device" : message
    }
}
