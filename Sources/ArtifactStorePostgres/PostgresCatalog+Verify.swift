import ArtifactStore
import Foundation
import PostgresNIO

extension PostgresCatalog: InspectableCatalog {
    public func inspect(_ scope: VerificationScope) throws -> CatalogInspection {
        // One snapshot: it cannot mix states from before and after a concurrent commit.
        try read { session in try inspect(session, scope) }
    }

    private func inspect(_ session: PostgresSession, _ scope: VerificationScope) throws -> CatalogInspection {
        let (filter, values): (String, PostgresBindings)
        switch scope {
        case .store: (filter, values) = ("TRUE", binds())
        case .project(let project): (filter, values) = ("p.name = $1", binds(project))
        case let .artifact(project, name): (filter, values) = ("p.name = $1 AND a.name = $2", binds(project, name))
        case .version(let id): (filter, values) = ("v.id = $1", binds(id))
        }
        let versionRows = try session.rows(PostgresQuery(unsafeSQL: """
            SELECT * FROM (
                SELECT v.id, p.name || '/' || a.name || ':' || coalesce('v' || v.idx, 'pending') AS qualified_name,
                    v.state, v.damaged, v.file_count, v.size, coalesce(encode(v.digest, 'hex'), '')
                FROM version v JOIN artifact a ON a.id = v.artifact_id JOIN project p ON p.id = a.project_id
                WHERE \(filter)
            ) s ORDER BY s.qualified_name COLLATE "C"
            """, binds: values))
        let ids = try versionRows.map { try $0[0].decode(Int64.self) }

        var files: [Int64: [ManifestEntry]] = [:]
        var contentUsers: [String: Set<Int64>] = [:]
        // A file whose content row is gone still counts: the LEFT JOIN keeps it, with a NULL digest.
        for row in try session.rows("""
            SELECT f.version_id, f.path, encode(c.digest, 'hex'), c.size FROM file f LEFT JOIN content c ON c.id = f.content_id
            WHERE f.version_id = ANY(\(ids))
            """)
        {
            let versionID = try row[0].decode(Int64.self)
            let digest = try row[2].decode(String?.self) ?? "(missing content)"
            files[versionID, default: []].append(
                ManifestEntry(path: try row[1].decode(String.self), digest: digest, size: try row[3].decode(Int64?.self) ?? 0))
            contentUsers[digest, default: []].insert(versionID)
        }
        let versions = try versionRows.map { row in
            let id = try row[0].decode(Int64.self)
            return CatalogInspection.Version(
                id: id, qualifiedName: try row[1].decode(String.self),
                state: VersionState(rawValue: try row[2].decode(String.self)) ?? .committed,
                damage: try row[3].decode(String?.self), recordedFileCount: try row[4].decode(Int.self),
                recordedSize: try row[5].decode(Int64.self), recordedDigest: try row[6].decode(String.self),
                files: (files[id] ?? []).sorted { Array($0.path.utf8).lexicographicallyPrecedes($1.path.utf8) })
        }

        // Every content in scope with its chunks in order; a chunk row that is gone shows as NULL.
        var contentFaults: [CatalogInspection.ContentFault] = []
        var chunkUsers: [Int64: Set<String>] = [:]
        var chunkRecords: [Int64: (digest: String, location: ChunkLocation)] = [:]
        var current: (digest: String, size: Int64, next: Int, raw: Int64, fault: String?)?
        func closeContent() {
            guard let content = current else { return }
            if let fault = content.fault {
                contentFaults.append(.init(digest: content.digest, detail: fault))
            } else if content.raw != content.size {
                contentFaults.append(.init(
                    digest: content.digest, detail: "its chunks add up to \(content.raw) bytes, but its size is \(content.size)"))
            }
        }
        for row in try session.rows("""
            SELECT encode(c.digest, 'hex'), c.size, cc.seq, cc.chunk_id, ch.id, \(unescaped: Self.chunkColumns)
            FROM content c LEFT JOIN content_chunk cc ON cc.content_id = c.id
            LEFT JOIN chunk ch ON ch.id = cc.chunk_id LEFT JOIN pack p ON p.id = ch.pack_id
            WHERE c.id IN (SELECT content_id FROM file WHERE version_id = ANY(\(ids)))
            ORDER BY c.id, cc.seq
            """)
        {
            let content = try row[0].decode(String.self)
            if current?.digest != content {
                closeContent()
                current = (content, try row[1].decode(Int64.self), 0, 0, nil)
            }
            guard let seq = try row[2].decode(Int?.self) else { continue }
            if seq != current!.next, current!.fault == nil {
                current!.fault = "its chunk list skips from \(current!.next) to \(seq)"
            }
            current!.next = seq + 1
            guard let chunkID = try row[4].decode(Int64?.self) else {
                if current!.fault == nil {
                    current!.fault = "chunk \(seq) (row \(try row[3].decode(Int64?.self) ?? -1)) is not in the catalog"
                }
                continue
            }
            guard try row[6].decode(String?.self) != nil else {
                if current!.fault == nil { current!.fault = "chunk \(seq) names a pack the catalog does not list" }
                continue
            }
            let chunk = try Self.storedChunk(row, first: 5)
            current!.raw += Int64(chunk.location.rawLength)
            chunkUsers[chunkID, default: []].insert(content)
            chunkRecords[chunkID] = (chunk.digest, chunk.location)
        }
        closeContent()
        let chunks = chunkRecords.map { id, record in
            CatalogInspection.Chunk(digest: record.digest, location: record.location, contents: Array(chunkUsers[id] ?? []))
        }
        let packs = try session.rows("""
            SELECT p.key, p.size, coalesce(sum(c.stored_length), 0)::bigint, count(c.id)
            FROM pack p LEFT JOIN chunk c ON c.pack_id = p.id GROUP BY p.id ORDER BY p.key
            """).map {
            CatalogInspection.Pack(
                key: try $0[0].decode(String.self), size: try $0[1].decode(Int64.self),
                liveBytes: try $0[2].decode(Int64.self), chunkCount: try $0[3].decode(Int.self))
        }
        return CatalogInspection(
            versions: versions, contentUsers: contentUsers, contentFaults: contentFaults, chunks: chunks, packs: packs)
    }

    /// PostgreSQL checks its own pages (and the schema's foreign keys keep rows consistent): a catalog
    /// that answers is sound as far as the engine can tell here.
    public func integrityProblems() throws -> [String] {
        try read { session in
            _ = try session.row("SELECT 1")
            return []
        }
    }

    public func location(ofChunk digest: String) throws -> ChunkLocation? {
        try read { session in
            try session.row(PostgresQuery(unsafeSQL: """
                SELECT \(Self.chunkColumns) FROM chunk ch JOIN pack p ON p.id = ch.pack_id WHERE ch.digest = decode($1, 'hex')
                """, binds: binds(digest))).map { try Self.storedChunk($0).location }
        }
    }

    public func markDamaged(_ details: [Int64: String]) throws {
        guard !details.isEmpty else { return }
        let ids = Array(details.keys)
        let texts = ids.map { details[$0]! }
        try write { session in
            _ = try session.execute("""
                UPDATE version SET damaged = n.detail FROM unnest(\(ids), \(texts)) AS n(id, detail)
                WHERE version.id = n.id AND version.state != 'deleted'
                """)
        }
    }
}
