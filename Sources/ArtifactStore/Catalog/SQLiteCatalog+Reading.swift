import Foundation
import GRDB

extension SQLiteCatalog {
    public func projects() throws -> [ProjectSummary] {
        try guarded {
            try database.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT p.name, p.createdAt,
                        (SELECT count(*) FROM artifact a WHERE a.projectId = p.id) AS artifactCount,
                        (SELECT count(*) FROM version v JOIN artifact a ON a.id = v.artifactId
                            WHERE a.projectId = p.id AND v.state = 'committed') AS versionCount,
                        (SELECT total(v.size) FROM version v JOIN artifact a ON a.id = v.artifactId
                            WHERE a.projectId = p.id AND v.state = 'committed') AS size
                    FROM project p ORDER BY p.name
                    """).map { row in
                    ProjectSummary(
                        name: row["name"], artifactCount: row["artifactCount"], versionCount: row["versionCount"],
                        size: Int64(row["size"] as Double), createdAt: Date(timeIntervalSince1970: row["createdAt"]))
                }
            }
        }
    }

    public func artifactType(project: String, name: String) throws -> String? {
        try guarded {
            try database.read { db in
                try String.fetchOne(db, sql: """
                    SELECT a.type FROM artifact a JOIN project p ON p.id = a.projectId WHERE p.name = ? AND a.name = ?
                    """, arguments: [project, name])
            }
        }
    }

    public func artifacts(project: String) throws -> [ArtifactSummary] {
        try guarded {
            try database.read { db in
                guard let projectID = try Int64.fetchOne(
                    db, sql: "SELECT id FROM project WHERE name = ?", arguments: [project])
                else { throw StoreError.projectNotFound(project: project) }
                return try Row.fetchAll(db, sql: """
                    SELECT a.name, a.type, a.description, a.createdAt,
                        (SELECT count(*) FROM version v WHERE v.artifactId = a.id AND v.state = 'committed') AS versions,
                        (SELECT total(v.addedBytes) FROM version v WHERE v.artifactId = a.id AND v.state = 'committed')
                            AS stored,
                        l.idx AS latestIdx, l.size AS latestSize, l.createdAt AS latestAt
                    FROM artifact a
                    LEFT JOIN version l ON l.id = (SELECT id FROM version WHERE artifactId = a.id
                        AND state = 'committed' ORDER BY idx DESC LIMIT 1)
                    WHERE a.projectId = ? ORDER BY a.type, a.name
                    """, arguments: [projectID]).map { row in
                    ArtifactSummary(
                        project: project, name: row["name"], type: row["type"], description: row["description"],
                        versionCount: row["versions"], latestSize: row["latestSize"] ?? 0,
                        storedBytes: Int64(row["stored"] as Double), latestIndex: row["latestIdx"],
                        updatedAt: Date(timeIntervalSince1970: row["latestAt"] ?? row["createdAt"]))
                }
            }
        }
    }

    public func versions(project: String, name: String, states: Set<VersionState>, offset: Int, limit: Int) throws
        -> [ArtifactVersion]
    {
        try guarded {
            try database.read { db in
                let artifact = try artifactID(db, project: project, name: name)
                let stateList = states.map { "'\($0.rawValue)'" }.joined(separator: ",")
                // Pending versions have no number yet: they sort first, newest first by creation. Without
                // them the order is the (artifactId, state, idx) index's, so a page of 100,000 versions
                // reads only its own rows.
                let order = states.contains(.pending) ? "v.idx IS NOT NULL, v.idx DESC, v.id DESC" : "v.idx DESC"
                let rows = try Row.fetchAll(db, sql: """
                    SELECT \(SQLiteCatalog.versionColumns)
                    WHERE v.artifactId = ? AND v.state IN (\(stateList))
                    ORDER BY \(order) LIMIT ? OFFSET ?
                    """, arguments: [artifact, limit, offset])
                return try versionRecords(db, rows: rows)
            }
        }
    }

    public func versionCount(project: String, name: String, states: Set<VersionState>) throws -> Int {
        try guarded {
            try database.read { db in
                let artifact = try artifactID(db, project: project, name: name)
                let stateList = states.map { "'\($0.rawValue)'" }.joined(separator: ",")
                return try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM version WHERE artifactId = ? AND state IN (\(stateList))",
                    arguments: [artifact]) ?? 0
            }
        }
    }

    public func versionPosition(project: String, name: String, index: Int) throws -> Int? {
        try guarded {
            try database.read { db in
                let artifact = try artifactID(db, project: project, name: name)
                guard try Bool.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM version WHERE artifactId = ? AND state = 'committed' AND idx = ?)
                    """, arguments: [artifact, index]) == true else { return nil }
                return try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM version WHERE artifactId = ? AND state = 'committed' AND idx > ?
                    """, arguments: [artifact, index])
            }
        }
    }

    public func version(project: String, name: String, reference: ArtifactAddress.Reference) throws
        -> ArtifactVersion
    {
        try guarded {
            try database.read { db in
                let artifact = try artifactID(db, project: project, name: name)
                let row: Row?
                switch reference {
                case .latest:
                    row = try Row.fetchOne(db, sql: """
                        SELECT \(SQLiteCatalog.versionColumns)
                        WHERE v.artifactId = ? AND v.state = 'committed' ORDER BY v.idx DESC LIMIT 1
                        """, arguments: [artifact])
                case .index(let index):
                    row = try Row.fetchOne(db, sql: """
                        SELECT \(SQLiteCatalog.versionColumns)
                        WHERE v.artifactId = ? AND v.state = 'committed' AND v.idx = ?
                        """, arguments: [artifact, index])
                case .alias(let alias):
                    row = try Row.fetchOne(db, sql: """
                        SELECT \(SQLiteCatalog.versionColumns)
                        JOIN alias al ON al.versionId = v.id
                        WHERE al.artifactId = ? AND al.nameKey = ? AND v.state = 'committed'
                        """, arguments: [artifact, Alias.key(alias)])
                }
                guard let row else {
                    throw StoreError.versionNotFound(artifact: "\(project)/\(name)", reference: "\(reference)")
                }
                return try versionRecords(db, rows: [row])[0]
            }
        }
    }

    public func version(id: Int64) throws -> ArtifactVersion {
        try guarded {
            try database.read { db in try versionRecord(db, id: id) }
        }
    }

    /// A version by id, in any state, or `versionNotFound`.
    func versionRecord(_ db: Database, id: Int64) throws -> ArtifactVersion {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT \(SQLiteCatalog.versionColumns) WHERE v.id = ?", arguments: [id])
        else { throw StoreError.versionNotFound(artifact: "#\(id)", reference: "id \(id)") }
        return try versionRecords(db, rows: [row])[0]
    }

    public func manifest(versionID: Int64, after: String?, offset: Int, limit: Int) throws -> [ManifestEntry] {
        try guarded {
            try database.read { db in
                // Most versions have no references: they keep the plain query, read in key order.
                guard try hasReferences(db, versionID: versionID) else {
                    // Through a cursor: all rows fetched first held each digest's bytes next to its text.
                    var entries: [ManifestEntry] = []
                    // Room for every row at once: grown by doubling, 100,000 entries held room for 131,072.
                    entries.reserveCapacity(min(limit, try Self.fileCount(db, versionID: versionID)))
                    let rows = try Row.fetchCursor(db, sql: """
                        SELECT f.path, c.digest, c.size FROM file f JOIN content c ON c.id = f.contentId
                        WHERE f.versionId = ? AND (?2 IS NULL OR f.path > ?2) ORDER BY f.path LIMIT ? OFFSET ?
                        """, arguments: [versionID, after, limit, offset])
                    while let row = try rows.next() {
                        entries.append(ManifestEntry(path: row[0], digest: CatalogDigest.hex(row, 1), size: row[2]))
                    }
                    return entries
                }
                return try Row.fetchAll(db, sql: """
                    SELECT f.path, c.digest, c.size, NULL, NULL FROM file f JOIN content c ON c.id = f.contentId
                    WHERE f.versionId = ?1 AND (?2 IS NULL OR f.path > ?2)
                    UNION ALL
                    SELECT \(SQLiteCatalog.referenceColumns) FROM file_reference r
                    WHERE r.versionId = ?1 AND (?2 IS NULL OR r.path > ?2)
                    ORDER BY 1 LIMIT ?3 OFFSET ?4
                    """, arguments: [versionID, after, limit, offset]).map { row in
                    let uri: String? = row[3]
                    return uri == nil
                        ? ManifestEntry(path: row[0], digest: CatalogDigest.hex(row, 1), size: row[2])
                        : SQLiteCatalog.referenceEntry(row)
                }
            }
        }
    }

    public func chunkLocations(contentDigest: String) throws -> [StoredChunk] {
        try guarded {
            try database.read { db in
                try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT ch.digest, p.key, ch.offset, ch.storedLength, ch.rawLength, ch.compression
                    FROM content c JOIN content_chunk cc ON cc.contentId = c.id
                    JOIN chunk ch ON ch.id = cc.chunkId JOIN pack p ON p.id = ch.packId
                    WHERE c.digest = ? ORDER BY cc.seq
                    """), arguments: [try CatalogDigest.blob(contentDigest)]).map(SQLiteCatalog.storedChunk)
            }
        }
    }

    public func chunkLocations(versionID: Int64) throws -> [String: [StoredChunk]] {
        try chunkTable(versionID: versionID).lists
    }

    public func chunkTable(versionID: Int64) throws -> ContentChunkTable {
        try guarded {
            try database.read { db in
                // One string per pack key, shared by every chunk naming it.
                var packKeys: [Int64: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT id, key FROM pack") { packKeys[row[0]] = row[1] }
                // Room for a content per file, which most versions of many files come close to.
                var table = ContentChunkTable(reservingFor: try Self.fileCount(db, versionID: versionID))
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT c.digest, ch.digest, ch.packId, ch.offset, ch.storedLength, ch.rawLength, ch.compression,
                           c.digest = ch.digest
                    FROM (SELECT DISTINCT contentId FROM file WHERE versionId = ?) f
                    JOIN content c ON c.id = f.contentId
                    JOIN content_chunk cc ON cc.contentId = f.contentId
                    JOIN chunk ch ON ch.id = cc.chunkId
                    ORDER BY cc.contentId, cc.seq
                    """, arguments: [versionID])
                // Columns by position: this runs once per chunk of the version.
                while let row = try rows.next() {
                    // A chunk whose pack row is gone is left out, as a join would: the file is then damaged.
                    guard let packKey = packKeys[row[2]], let content = try Self.binaryDigest(row, 0) else { continue }
                    let isWhole: Bool = row[7]
                    let chunk = isWhole ? nil : try Self.binaryDigest(row, 1)
                    if !isWhole && chunk == nil { continue }
                    table.append(
                        content: content, chunk: chunk,
                        location: ChunkLocation(
                            packKey: packKey, offset: row[3], storedLength: row[4], rawLength: row[5],
                            compression: ChunkCompression(rawValue: row[6]) ?? .none))
                }
                table.finish()
                return table
            }
        }
    }

    /// The number of files of a version (0 for an unknown id), to make room for them before reading them.
    private static func fileCount(_ db: Database, versionID: Int64) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT fileCount FROM version WHERE id = ?", arguments: [versionID]) ?? 0
    }

    /// The digest in column `index` of `row` as a `BinaryDigest`, from a 32-byte blob or (a catalog
    /// not yet upgraded) hex text; nil for anything else.
    private static func binaryDigest(_ row: Row, _ index: Int) throws -> BinaryDigest? {
        let blob = try row.withUnsafeData(atIndex: index) { data in
            data.flatMap { $0.count == 32 ? $0.withUnsafeBytes { BinaryDigest(bytes: $0.baseAddress!) } : nil }
        }
        return blob ?? BinaryDigest(hex: CatalogDigest.hex(row, index))
    }

    public func chunkDigestPrefixes() throws -> Set<UInt64> {
        try guarded {
            try database.read { db in
                var prefixes = Set<UInt64>()
                let digests = try DatabaseValue.fetchCursor(db, sql: "SELECT digest FROM chunk")
                while let digest = try digests.next() {
                    if let value = CatalogDigest.prefix(digest) { prefixes.insert(value) }
                }
                return prefixes
            }
        }
    }

    public func packs() throws -> [ObjectInfo] {
        try guarded {
            try database.read { db in
                try Row.fetchAll(db, sql: "SELECT key, size FROM pack ORDER BY key").map {
                    ObjectInfo(key: $0["key"], size: $0["size"])
                }
            }
        }
    }

    public func liveChunks(packKey: String) throws -> [StoredChunk] {
        try guarded {
            try database.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT ch.digest, p.key, ch.offset, ch.storedLength, ch.rawLength, ch.compression
                    FROM chunk ch JOIN pack p ON p.id = ch.packId WHERE p.key = ? ORDER BY ch.offset
                    """, arguments: [packKey]).map(SQLiteCatalog.storedChunk)
            }
        }
    }

    static func storedChunk(_ row: Row) -> StoredChunk {
        StoredChunk(
            digest: CatalogDigest.hex(row, "digest"),
            location: ChunkLocation(
                packKey: row["key"], offset: row["offset"], storedLength: row["storedLength"],
                rawLength: row["rawLength"], compression: ChunkCompression(rawValue: row["compression"]) ?? .none))
    }
}
