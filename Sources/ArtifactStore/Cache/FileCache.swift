#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization
import GRDB

/// The local cache of whole files materialized from the store, keyed by content digest,
/// so that versions sharing files read no stored chunks twice.
///
/// Layout under ``directory``:
/// - `obj/sha256/<2 hex>/<62 hex>`: the files, read-only (0444);
/// - `tmp/`: writes in progress, renamed into place when verified; leftovers older than an
///   hour are removed on open and never count toward the total;
/// - `pins/`: one lock file per live ``CachePin``;
/// - `index.sqlite`: the index (WAL; several processes may share one cache).
///
/// The index is the truth: a file is cached when it has a live row, and the totals are sums over
/// the live rows, kept in the same transaction as each change. Rows are evicted first (deleted,
/// with the pending unlink recorded in the same transaction; or, by a cleanup, all at once behind a
/// cutoff) and files unlinked after the commit, so that the next open finishes them after a crash. A crash between an insert's rename and
/// its commit (a window of microseconds) leaves a file without a row: never served, never
/// counted, and replaced by the next insert of that digest.
///
/// All methods may be called from any thread and any number of processes.
public final class FileCache: Sendable {
    /// The cache directory.
    public let directory: URL

    let index: CacheIndex
    /// Uses noted by `deferringUses`, written to the index in one transaction when it ends.
    let deferredUses = Mutex(DeferredUses())
    let objectRoot: String
    let tmpPath: String
    let pinsPath: String
    /// The temporary files opening the cache removed (older than ``staleTemporaryAge``), and their bytes.
    public let temporariesRemovedOnOpen: (files: Int, bytes: Int64)

    /// Temporary files older than this are leftovers of a process that died.
    static let staleTemporaryAge: TimeInterval = 3600

    /// Opens the cache in `directory`, creating it on first use.
    ///
    /// Also removes temporary leftovers older than an hour and finishes unlinks that a
    /// crashed eviction left pending.
    /// - Throws: `StoreError.io` when the directory cannot be created or locked,
    ///   `StoreError.catalog` when the index cannot be opened.
    public init(directory: URL) throws {
        self.directory = directory.standardizedFileURL
        let root = self.directory.path
        objectRoot = root + "/obj/sha256"
        tmpPath = root + "/tmp"
        pinsPath = root + "/pins"
        for path in [objectRoot, tmpPath, pinsPath] { try makeDirectory(path) }

        // Serialize first-time setup (schema, WAL switch) between processes opening at once.
        let lockPath = root + "/lock"
        let lock = try openFile(lockPath, O_RDWR | O_CREAT, mode: 0o644, operation: "open")
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            if errno != EINTR { throw systemError("lock", lockPath) }
        }
        do {
            index = try CacheIndex(path: root + "/index.sqlite")
        } catch let error as DatabaseError {
            throw StoreError.catalog("cannot open cache index \(root)/index.sqlite: \(error.message ?? "\(error)")")
        }
        temporariesRemovedOnOpen = try Self.removeTemporaries(in: tmpPath, olderThan: Self.staleTemporaryAge)
        // Unless another process is at it (a cleanup's unlinking in the background).
        try withUnlinkLock(wait: false) { try finishPendingUnlinks() }
    }

    // MARK: Paths

    /// Where the file with this digest lives (whether or not it is cached).
    func objectPath(_ digest: String) -> String {
        "\(objectRoot)/\(digest.prefix(2))/\(digest.dropFirst(2))"
    }

    /// Refuses anything but 64 lowercase hex digits, so a digest can never name a path outside obj/.
    static func validate(_ digest: String) throws {
        let valid = digest.utf8.count == 64 && digest.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f"))
        }
        if !valid { throw invalidDigest(digest) }
    }

    /// The refusal of `digest` as a cache key: what ``validate(_:)`` and a pin's digests throw.
    static func invalidDigest(_ digest: String) -> StoreError {
        .invalidArgument("cache digest \(quoted(digest)) is not 64 lowercase hex digits (SHA-256)")
    }

    // MARK: Lookup

    /// The cached file with this digest, or nil when the cache does not hold it intact.
    ///
    /// When the file's stat signature (size, mtime, inode, ctime) differs from the one
    /// recorded, its content is hashed again: kept (and made read-only again) when still
    /// right, evicted otherwise. A hit records the use (for least-recently-used cleanup) and
    /// `owner`. The returned file is read-only; read it, or place it with
    /// ``copy(digest:size:to:mode:owner:)``, and pin it for as long as you use it.
    /// - Throws: `StoreError.invalidArgument` for a malformed digest, `StoreError.io` or a
    ///   database error when the cache itself cannot be read.
    public func lookup(digest: String, size: Int64, owner: CacheOwner? = nil) throws -> URL? {
        try Self.validate(digest)
        guard let signature = try verifiedSignature(digest: digest, size: size) else { return nil }
        let touched = try recordUse(digest: digest, signature: signature, owner: owner)
        return touched ? URL(fileURLWithPath: objectPath(digest)) : nil
    }

    /// Whether the cache holds the content `digest` intact, without counting a use: for deciding what
    /// to fetch before fetching it.
    public func holds(digest: String, size: Int64) throws -> Bool {
        try Self.validate(digest)
        return try verifiedSignature(digest: digest, size: size) != nil
    }

    /// The current signature of the cached file when its content is known to be right;
    /// nil (after evicting whatever was there) otherwise.
    func verifiedSignature(digest: String, size: Int64) throws -> FileSignature? {
        guard let entry = try knownEntry(digest: digest) else { return nil }
        let path = objectPath(digest)
        guard entry.size == size, let current = try FileSignature.of(path: path) else {
            try evict(digest: digest)
            return nil
        }
        if current == entry.signature { return current }
        return try recheck(digest: digest, size: size, path: path)
    }

    /// Hashes a cached file whose signature changed; returns its new signature when the
    /// content is intact, evicts it otherwise.
    private func recheck(digest: String, size: Int64, path: String) throws -> FileSignature? {
        let fd: Int32
        do {
            fd = try openFile(path, O_RDONLY, operation: "open")
        } catch {
            try evict(digest: digest)
            return nil
        }
        defer { close(fd) }
        let (actual, actualSize) = try hashFile(fd, path: path)
        guard actual == digest, actualSize == size else {
            try evict(digest: digest)
            return nil
        }
        // Someone may have made it writable; a cache file must not be.
        var status = stat()
        if fstat(fd, &status) == 0, status.st_mode & 0o7777 != 0o444 {
            _ = fchmod(fd, 0o444)
        }
        return try FileSignature.of(descriptor: fd, path: path)
    }

    // MARK: Insert

    /// Adds a file: `write` streams its content into a ``CacheWriter``; the cache checks the
    /// size and SHA-256 of what was written, makes it read-only, moves it into place
    /// atomically and records it (with `owner`, if given).
    ///
    /// With `copyTo`, the same bytes also go to a writable copy at that path (replacing what is
    /// there once they are checked; its directory must exist): a restore fills the cache and
    /// writes its file in one pass, reading and hashing each byte once.
    ///
    /// Concurrent inserts of one digest, from threads or processes, all succeed; the first
    /// intact file stays. No fsync: a file lost in a power cut is only a cache miss (its
    /// signature no longer matches, or it is gone). Inside ``FileCache/deferringUses(preloading:_:)`` the row is
    /// written when the scope ends.
    ///
    /// ```swift
    /// let url = try cache.insert(digest: entry.digest, size: entry.size, owner: owner) { sink in
    ///     for chunk in chunks { try sink.write(chunk) }
    /// }
    /// ```
    /// - Returns: The cached file.
    /// - Throws: `StoreError.corruptData` when the bytes written do not have this size and
    ///   digest (nothing is cached or copied then); whatever `write` throws; `StoreError.io`.
    @discardableResult
    public func insert(
        digest: String, size: Int64, owner: CacheOwner? = nil, copyTo destination: URL? = nil,
        write: (CacheWriter) throws -> Void
    ) throws -> URL {
        URL(fileURLWithPath: try insert(
            digest: digest, size: size, owner: owner, copyToPath: destination?.path, write: write))
    }

    /// ``insert(digest:size:owner:copyTo:write:)`` with paths; returns the cached file's path.
    @discardableResult
    func insert(
        digest: String, size: Int64, owner: CacheOwner?, copyToPath destination: String?,
        write: (CacheWriter) throws -> Void
    ) throws -> String {
        let (path, file) = try pendingEntry(digest)
        defer { file.close() }
        try file.allocate(size, path: path)

        var copy: PendingFile?
        if let destination {
            copy = try PendingFile.create(toBecome: destination, mode: 0o666)
        }
        defer { copy?.close() }
        if let copy, let destination { try copy.allocate(size, path: destination) }

        let writer = CacheWriter(
            fd: file.fd, path: path, copy: copy.map { CacheWriter.Copy(fd: $0.fd, path: destination ?? "") })
        try write(writer)
        let written = writer.finishDigest()
        guard written == digest, writer.bytesWritten == size else {
            throw StoreError.corruptData(
                what: "file for the cache",
                detail: "expected \(size) bytes with SHA-256 \(digest), got \(writer.bytesWritten) bytes with SHA-256 \(written)")
        }
        guard fchmod(file.fd, 0o444) == 0 else { throw systemError("chmod", path) }
        if let copy, let destination { try copy.place(at: destination) }
        try adopt(file, digest: digest, path: path, owner: owner)
        return path
    }

    /// Moves a complete, checked, read-only file into place as the entry of `digest` and records
    /// it (or notes it, inside ``deferringUses(preloading:_:)``).
    func adopt(_ file: PendingFile, digest: String, path: String, owner: CacheOwner?) throws {
        // The caller pinned the digest, so no cleanup removes the file before its row exists.
        let deferred = try noteDeferredInsert(digest: digest, owner: owner) {
            try file.place(at: path)
            // Placing changes the ctime: take the signature after it.
            return try FileSignature.of(descriptor: file.fd, path: path)
        }
        if deferred { return }

        // Place and record under the index's write lock, so two inserts of one digest
        // (or an insert and an eviction) cannot interleave between the two.
        try index.database.write { db in
            if let existing = try CacheIndex.entry(db, digest: digest),
               try FileSignature.of(path: path) == existing.signature
            {
                try CacheIndex.touch(db, digest: digest, owner: owner)
                return
            }
            try file.place(at: path)
            try CacheIndex.record(db, digest: digest, signature: try FileSignature.of(descriptor: file.fd, path: path))
            if let owner { try CacheIndex.addOwner(db, owner, digests: [digest]) }
        }
    }

    /// A new, unnamed, owner-only file beside where the entry of `digest` goes (its directory made),
    /// for an insert to fill and ``adopt(_:digest:path:owner:)`` to place; and that place.
    func pendingEntry(_ digest: String) throws -> (path: String, file: PendingFile) {
        try Self.validate(digest)
        let path = objectPath(digest)
        try makeObjectDirectory(for: path)
        let file = try PendingFile.create(
            in: String(path.dropLast(63)),
            fallbackTemporary: "\(tmpPath)/\(digest.prefix(16))-\(UUID().uuidString).part", mode: 0o600)
        return (path, file)
    }

    /// Creates the `obj/sha256/xx` directory of a cached file unless it exists: one `mkdir`
    /// in the common case.
    func makeObjectDirectory(for path: String) throws {
        let directory = String(path.dropLast(63))
        if mkdir(directory, 0o755) == 0 || errno == EEXIST { return }
        try makeDirectory(directory)
    }

    // MARK: Evict

    /// Removes one file from the cache (and its row), such as one found corrupt. A digest the
    /// cache does not hold is not an error.
    public func evict(digest: String) throws {
        try Self.validate(digest)
        if let pending = forgetDeferred(digest: digest) {
            let path = objectPath(digest)
            if let current = try FileSignature.of(path: path), current.inode == pending.inode {
                try removeFileIfPresent(path)
            }
        }
        let batch = UUID().uuidString
        let removed = try index.database.write { db in
            try CacheIndex.remove(db, digest: digest, batch: batch)
        }
        guard let removed else { return }
        try unlinkEvicted([(digest, removed.signature.inode)], batch: batch)
    }

    /// Unlinks files whose rows were deleted, then clears their pending-unlink rows.
    ///
    /// A file is unlinked only if it still has the inode its row had: if another process
    /// cached the digest again in between, its new file is left alone.
    func unlinkEvicted(_ files: [(digest: String, inode: Int64)], batch: String?) throws {
        for (digest, inode) in files {
            let path = objectPath(digest)
            if let current = try FileSignature.of(path: path), current.inode == inode {
                try removeFileIfPresent(path)
            }
        }
        guard let batch else { return }
        try index.database.write { db in
            try db.execute(sql: "DELETE FROM pendingUnlink WHERE batch = ?", arguments: [batch])
        }
    }

    /// Runs `body` holding `unlink.lock`, which says a process is unlinking evicted files; without
    /// `wait`, does nothing when another process holds it.
    func withUnlinkLock(wait: Bool, _ body: () throws -> Void) throws {
        let path = directory.path + "/unlink.lock"
        let fd = try openFile(path, O_RDWR | O_CREAT, mode: 0o644, operation: "open")
        defer { close(fd) }
        while flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            if errno == EWOULDBLOCK && !wait { return }
            if errno != EINTR { throw systemError("lock", path) }
        }
        try body()
    }

    /// Finishes unlinks left pending by a process that died between an eviction's commit and
    /// its unlinks, or left for later on purpose, then deletes the rows a cleanup evicted. Rows of
    /// a live process's batch may be finished twice; that is harmless. A file cached again since,
    /// or pinned by a process about to cache it again, is left alone.
    func finishPendingUnlinks() throws {
        try finishEvictedRows()
        defer { index.trimWriteAheadLog() }
        let (pending, pinned) = try index.database.read { db in
            let pending = try Row.fetchAll(db, sql: """
                SELECT batch, digest, inode,
                       EXISTS (SELECT 1 FROM entry e WHERE e.digest = p.digest AND \(CacheIndex.live("e"))) AS cached
                FROM pendingUnlink p
                """)
            guard !pending.isEmpty else { return (pending, Set<String>()) }
            return (pending, try CacheIndex.pinnedDigests(db))
        }
        guard !pending.isEmpty else { return }
        // A digest cached again since has a new file (renamed over the old one): leave it.
        let orphans = pending.filter { !($0["cached"] as Bool) && !pinned.contains($0["digest"] as String) }
            .map { (digest: $0["digest"] as String, inode: $0["inode"] as Int64) }
        try unlinkEvicted(orphans, batch: nil)
        try index.database.write { db in
            let statement = try db.makeStatement(sql: "DELETE FROM pendingUnlink WHERE batch = ? AND digest = ?")
            for row in pending {
                try statement.execute(arguments: [row["batch"] as String, row["digest"] as String])
            }
        }
    }

    /// Unlinks the files of rows behind the cleanup cutoff, then deletes those rows (and their
    /// owners), a batch at a time so that a crash keeps what is done and the write lock is held
    /// briefly. Rows of pinned files are left for a later run: their process may be caching them
    /// again, and an insert brings a row back from eviction.
    private func finishEvictedRows() throws {
        let evicted = try index.database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT digest, inode FROM entry WHERE \(CacheIndex.evicted())")
                .map { (digest: $0[0] as String, inode: $0[1] as Int64) }
            guard !rows.isEmpty else { return rows }
            let pinned = try CacheIndex.pinnedDigests(db)
            return pinned.isEmpty ? rows : rows.filter { !pinned.contains($0.digest) }
        }
        var start = 0
        while start < evicted.count {
            let batch = evicted[start..<min(evicted.count, start + 5000)]
            start += batch.count
            try unlinkEvicted(Array(batch), batch: nil)
            let digests = "[" + batch.map { "\"\($0.digest)\"" }.joined(separator: ",") + "]"
            try index.database.write { db in
                // Only rows still evicted: one brought back meanwhile has a new file and new owners.
                let still = "digest IN (SELECT value FROM json_each(?)) AND NOT \(CacheIndex.live())"
                try db.execute(
                    sql: "DELETE FROM owner WHERE digest IN (SELECT digest FROM entry WHERE \(still))",
                    arguments: [digests])
                try db.execute(sql: "DELETE FROM entry WHERE \(still)", arguments: [digests])
            }
        }
    }

    /// Removes the temporary files not written to for `age` seconds: leftovers of writers that died
    /// (opening the cache removes those older than ``staleTemporaryAge``; `cache cleanup --remove-temp`
    /// those older than a minute). Where the file system has anonymous files (`O_TMPFILE`) a writer
    /// names none, so there are none to remove.
    /// - Returns: how many files were removed (or with `dryRun` would be), and their bytes.
    @discardableResult
    public func removeTemporaries(olderThan age: TimeInterval, dryRun: Bool = false) throws -> (files: Int, bytes: Int64) {
        try Self.removeTemporaries(in: tmpPath, olderThan: age, dryRun: dryRun)
    }

    private static func removeTemporaries(in tmpPath: String, olderThan age: TimeInterval, dryRun: Bool = false) throws
        -> (files: Int, bytes: Int64)
    {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: tmpPath)) ?? []
        let oldest = wallClockNanoseconds() - Int64(age * 1e9)
        var removed: (files: Int, bytes: Int64) = (0, 0)
        for name in names {
            let path = tmpPath + "/" + name
            if let signature = try FileSignature.of(path: path), signature.modifiedNs < oldest {
                if !dryRun { try removeFileIfPresent(path) }
                removed.files += 1
                removed.bytes += signature.size
            }
        }
        return removed
    }
}
