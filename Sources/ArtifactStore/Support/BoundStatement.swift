import GRDB
import GRDBSQLite

/// A prepared statement run once per row with its values bound straight into SQLite: for the
/// thousands of rows a `get` or a `put` writes or reads in one transaction.
///
/// GRDB's `execute(arguments:)` boxes every value, checks the argument count and resets the
/// statement through several layers on each call; a `get` of 20,000 cached files spent more time
/// there, and in the JSON arrays that replaced it, than in SQLite itself.
struct BoundStatement {
    private let statement: Statement
    private let db: Database

    /// Prepares `sql` (cached by the connection) on `db`.
    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
    }

    private var handle: OpaquePointer { statement.sqliteStatement }

    /// Binds an integer to parameter `index` (1-based).
    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds text to parameter `index` (1-based); SQLite copies it.
    func bind(_ index: Int32, _ value: String) {
        var value = value
        value.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), transient)
            }
        }
    }

    /// Binds the 32 bytes of a hex digest, as the catalog keeps digests (`CatalogDigest`), to parameter
    /// `index` (1-based), with no `Data` or byte array made for it.
    /// - Throws: `StoreError.catalog` when `hex` is not 64 hex digits; nothing is bound then.
    func bindDigest(_ index: Int32, _ hex: String) throws {
        try CatalogDigest.withBytes(of: hex) { bytes in
            _ = sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), transient)
        }
    }

    /// Binds an integer, or NULL for nil, to parameter `index` (1-based).
    func bind(_ index: Int32, _ value: Int64?) {
        if let value { bind(index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Runs the statement with the values bound, and makes it ready for the next ones.
    /// - Returns: how many rows it changed.
    @discardableResult
    func run() throws -> Int {
        defer { sqlite3_reset(handle) }
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW { code = sqlite3_step(handle) }
        guard code == SQLITE_DONE else { throw failure(code) }
        return Int(sqlite3_changes(db.sqliteConnection))
    }

    /// Runs the statement with the values bound and calls `body` with each row (read its columns
    /// with the `int64`/`text` accessors), then makes it ready for the next values.
    func forEachRow(_ body: (Row) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(code) }
            try body(Row(handle: handle))
        }
    }

    /// Runs the statement over a range of `sorted` strings and calls `body` with the position in
    /// `sorted` of each string that has a row, and that row: the statement's first column is text in
    /// byte order (SQLite's `BINARY`, its `ORDER BY`), and its parameters ?1 and ?2 bound that column.
    ///
    /// Rows and strings are walked in step, one three-way comparison per row and string passed: one
    /// range scan instead of a lookup per string, and no `String` made of a row nobody asked for. A
    /// string given more than once is matched at each of its positions.
    func forEachRow(inStepWith sorted: [String], _ body: (Int, Row) throws -> Void) throws {
        guard let first = sorted.first, let last = sorted.last else { return }
        bind(1, first)
        bind(2, last)
        var next = 0
        try forEachRow { row in
            let comparing = { next < sorted.count ? row.compareText(0, with: sorted[next]) : -1 }
            var comparison = comparing()
            // Strings before this row have none; a row before the next string is one nobody asked for.
            while comparison > 0 {
                next += 1
                comparison = comparing()
            }
            while comparison == 0 {
                try body(next, row)
                next += 1
                comparison = comparing()
            }
        }
    }

    /// The current row of a running statement.
    struct Row {
        fileprivate let handle: OpaquePointer

        /// Column `index` (0-based) as an integer.
        func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

        /// The hex text of the digest in column `index` (0-based), as `CatalogDigest.hex` reads it.
        func digest(_ index: Int32) -> String {
            let count = Int(sqlite3_column_bytes(handle, index))
            if sqlite3_column_type(handle, index) == SQLITE_BLOB, count == 32, let bytes = sqlite3_column_blob(handle, index) {
                return CatalogDigest.hexString(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return text(index)
        }

        /// Column `index` (0-based) as text (empty for NULL).
        func text(_ index: Int32) -> String {
            guard let bytes = sqlite3_column_text(handle, index) else { return "" }
            let count = Int(sqlite3_column_bytes(handle, index))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }

        /// Whether column `index`'s text sorts before (-1), equal to (0) or after (1) `other`, in byte
        /// order (SQLite's BINARY collation), without making a `String` of the column.
        func compareText(_ index: Int32, with other: String) -> Int {
            let bytes = sqlite3_column_text(handle, index)
            let count = Int(sqlite3_column_bytes(handle, index))
            return ByteOrder.compare(UnsafeBufferPointer(start: bytes, count: bytes == nil ? 0 : count), other)
        }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
            sql: statement.sql)
    }
}

/// SQLite's SQLITE_TRANSIENT: copy the bound bytes now (a Swift string's storage is only borrowed).
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
