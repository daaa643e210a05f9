import Foundation
import GRDB

extension SQLiteCatalog: InspectableCatalog {
    /// Adds what `verify --repair` records: `version.damaged`, NULL for a healthy version, else what is wrong.
    static func registerVerifyMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("verify-v1") { db in
            try db.execute(sql: "ALTER TABLE version ADD COLUMN damaged TEXT")
        }
    }

    public func inspect(_ scope: VerificationScope) throws -> CatalogInspection {
        try guarded {
            // One read transaction: the snapshot cannot mix states from before and after a concurrent commit.
            try readWithScratchTables { db in try inspect(db, scope) }
        }
    }

    private func inspect(_ db: Database, _ scope: VerificationScope) throws -> CatalogInspection {
        let filter: String
        let arguments: StatementArguments
        switch scope {
        case .store:
            (filter, arguments) = ("1", [])
        case .project(let project):
            (filter, arguments) = ("p.name = ?", [project])
        case let .artifact(project, name):
            (filter, arguments) = ("p.name = ? AND a.name = ?", [project, name])
        case .version(let id):
            (filter, arguments) = ("v.id = ?", [id])
        }
        try db.execute(sql: "DROP TABLE IF EXISTS temp.verify_version")
        try db.execute(sql: """
            CREATE TEMP TABLE verify_version AS
                SELECT v.id, p.name || '/' || a.name || ':' || coalesce('v' || v.idx, 'pending') AS qualifiedName,
                    v.state, v.damaged, v.fileCount, v.size, v.digest
                FROM version v JOIN artifact a ON a.id = v.artifactId JOIN project p ON p.id = a.projectId
                WHERE \(filter)
            """, arguments: arguments)
        defer { try? db.execute(sql: "DROP TABLE IF EXISTS temp.verify_version") }

        var files: [Int64: [ManifestEntry]] = [:]
        var contentUsers: [String: Set<Int64>] = [:]
        // A file whose content row is gone still counts: the LEFT JOIN keeps it, with a NULL digest.
        for row in try Row.fetchAll(db, sql: """
            SELECT f.versionId, f.path, c.digest, c.size FROM file f LEFT JOIN content c ON c.id = f.contentId
            WHERE f.versionId IN (SELECT id FROM verify_version)
            """)
        {
            let versionID: Int64 = row["versionId"]
            let value: DatabaseValue = row["digest"]
            let digest = value.isNull ? "(missing content)" : CatalogDigest.hex(value)
            files[versionID, default: []].append(ManifestEntry(path: row["path"], digest: digest, size: row["size"] ?? 0))
            contentUsers[digest, default: []].insert(versionID)
        }
        // Reference entries count toward a version's files, size and digest; they have no content.
        for (versionID, entries) in try referenceEntries(db, where: "r.versionId IN (SELECT id FROM verify_version)") {
            files[versionID, default: []] += entries
        }
        let versions = try Row.fetchAll(db, sql: "SELECT * FROM verify_version ORDER BY qualifiedName").map { row in
            let id: Int64 = row["id"]
            return CatalogInspection.Version(
                id: id, qualifiedName: row["qualifiedName"],
                state: VersionState(rawValue: row["state"]) ?? .committed, damage: row["damaged"],
                recordedFileCount: row["fileCount"], recordedSize: row["size"], recordedDigest: CatalogDigest.hex(row, "digest"),
                files: (files[id] ?? []).sorted { $0.path < $1.path })
        }

        // Every content in scope with its chunks in order; a chunk row that is gone shows as NULL.
        var contentFaults: [CatalogInspection.ContentFault] = []
        var chunkUsers: [Int64: Set<String>] = [:]
        var chunkRows: [Int64: Row] = [:]
        var lastContent: (digest: String, size: Int64, next: Int, raw: Int64, fault: String?)?
        func closeContent() {
            guard let content = lastContent else { return }
            if let fault = content.fault {
                contentFaults.append(.init(digest: content.digest, detail: fault))
            } else if content.raw != content.size {
                contentFaults.append(.init(
                    digest: content.digest,
                    detail: "its chunks add up to \(content.raw) bytes, but its size is \(content.size)"))
            }
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT c.digest AS content, c.size AS contentSize, cc.seq, cc.chunkId, ch.id AS chunkRow, ch.digest,
                ch.offset, ch.storedLength, ch.rawLength, ch.compression, p.key
            FROM content c LEFT JOIN content_chunk cc ON cc.contentId = c.id
            LEFT JOIN chunk ch ON ch.id = cc.chunkId LEFT JOIN pack p ON p.id = ch.packId
            WHERE c.id IN (SELECT contentId FROM file WHERE versionId IN (SELECT id FROM verify_version))
            ORDER BY c.id, cc.seq
            """)
        {
            let content = CatalogDigest.hex(row, "content")
            if lastContent?.digest != content {
                closeContent()
                lastContent = (content, row["contentSize"], 0, 0, nil)
            }
            guard let seq: Int = row["seq"] else { continue }
            if seq != lastContent!.next, lastContent!.fault == nil {
                lastContent!.fault = "its chunk list skips from \(lastContent!.next) to \(seq)"
            }
            lastContent!.next = seq + 1
            guard let chunkID: Int64 = row["chunkRow"] else {
                if lastContent!.fault == nil {
                    lastContent!.fault = "chunk \(seq) (row \(row["chunkId"] as Int64? ?? -1)) is not in the catalog"
                }
                continue
            }
            if row["key"] as String? == nil, lastContent!.fault == nil {
                lastContent!.fault = "chunk \(seq) names a pack the catalog does not list"
            }
            lastContent!.raw += row["rawLength"] as Int64
            chunkUsers[chunkID, default: []].insert(content)
            chunkRows[chunkID] = row
        }
        closeContent()
        let chunks = chunkRows.compactMap { id, row -> CatalogInspection.Chunk? in
            guard let key: String = row["key"] else { return nil }
            return CatalogInspection.Chunk(
                digest: CatalogDigest.hex(row, "digest"),
                location: ChunkLocation(
                    packKey: key, offset: row["offset"], storedLength: row["storedLength"],
                    rawLength: row["rawLength"], compression: ChunkCompression(rawValue: row["compression"]) ?? .none),
                contents: Array(chunkUsers[id] ?? []))
        }

        let packs = try Row.fetchAll(db, sql: """
            SELECT p.key, p.size, total(c.storedLength) AS live, count(c.id) AS chunks
            FROM pack p LEFT JOIN chunk c ON c.packId = p.id GROUP BY p.id ORDER BY p.key
            """).map {
            CatalogInspection.Pack(
                key: $0["key"], size: $0["size"], liveBytes: Int64($0["live"] as Double), chunkCount: $0["chunks"])
        }
        return CatalogInspection(
            versions: versions, contentUsers: contentUsers, contentFaults: contentFaults, chunks: chunks, packs: packs)
    }

    public func integrityProblems() throws -> [String] {
        try guarded {
            try database.read { db in
                let lines = try String.fetchAll(db, sql: "PRAGMA quick_check")
                return lines == ["ok"] ? [] : lines
            }
        }
    }

    public func location(ofChunk digest: String) throws -> ChunkLocation? {
        try guarded {
            try database.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT ch.digest, p.key, ch.offset, ch.storedLength, ch.rawLength, ch.compression
                    FROM chunk ch JOIN pack p ON p.id = ch.packId WHERE ch.digest = ?
                    """, arguments: [try CatalogDigest.blob(digest)]).map { SQLiteCatalog.storedChunk($0).location }
            }
        }
    }

    public func markDamaged(_ details: [Int64: String]) throws {
        try guarded {
            try database.write { db in
                let update = try db.makeStatement(
                    sql: "UPDATE version SET damaged = ? WHERE id = ? AND state != 'deleted'")
                for (id, detail) in details { try update.execute(arguments: [detail, id]) }
            }
        }
    }
}
