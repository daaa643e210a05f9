import GRDB
import GRDBSQLite

extension Database {
    /// Keeps the database's write-ahead log and shared-memory index files when its last connection
    /// closes, instead of deleting them.
    ///
    /// Otherwise every command that opens the database creates both files and unlinks them again at
    /// its end, even a command that changes nothing: two changes to the directory for each file, which
    /// took up to 2-5 ms each on a busy ext4 disk (`perf trace` of an unchanged `put`, a command of
    /// ~10 ms). Not for the catalog: every open rewrites the shared-memory index, and read-only
    /// commands leave the store's files byte for byte as they were.
    func keepWriteAheadLogFiles() throws {
        var keep: CInt = 1
        let code = sqlite3_file_control(sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &keep)
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
    }
}
