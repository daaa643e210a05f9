import ArtifactStore
import Foundation
import PostgresNIO

extension PostgresCatalog {
    public func commit(_ commit: VersionCommit) throws -> CommitOutcome {
        do {
            return try write { session in
                // Lock order everywhere: the chunk lock, then artifact rows.
                try lockChunks(session, exclusive: false)
                return try performCommit(session, commit)
            }
        } catch let rollback as MissingChunksRollback {
            return .missingChunks(rollback.digests)
        }
    }

    /// Records the version, then its batches one at a time, and its totals last, as
    /// `SQLiteCatalog.commit` does: a batch whose chunks are gone takes back every earlier one.
    private func performCommit(_ session: PostgresSession, _ commit: VersionCommit) throws -> CommitOutcome {
        let now = Date().timeIntervalSince1970
        let artifactID = try ensureArtifact(session, project: commit.project, name: commit.name, type: commit.type, now: now)

        if let latest = try session.row("""
            SELECT id, encode(digest, 'hex') FROM version
            WHERE artifact_id = \(artifactID) AND state = 'committed' ORDER BY idx DESC LIMIT 1
            """), try latest[1].decode(String?.self) == commit.digest
        {
            let latestID = try latest[0].decode(Int64.self)
            for alias in commit.aliases { _ = try moveAlias(session, alias, to: latestID, artifactID: artifactID) }
            return .unchanged(try versionRecord(session, id: latestID))
        }

        let index = try nextIndex(session, artifactID: artifactID)
        let metadata = PostgresCatalog.metadataText(commit.metadata)
        guard let versionID = try session.row("""
            INSERT INTO version (artifact_id, idx, digest, state, created_at, size, file_count, added_bytes,
                description, metadata, producer_run_id)
            VALUES (\(artifactID), \(index), decode(\(commit.digest), 'hex'), 'committed', \(now), 0, 0, 0,
                \(commit.description), \(metadata)::jsonb, \(commit.producerRunID))
            RETURNING id
            """)?[0].decode(Int64.self)
        else { throw StoreError.catalog("the new version of \(commit.project)/\(commit.name) got no id") }
        var packKeys = Set<String>()
        let totals = try commit.recordBatches { batch, packs in
            let stored: StoredContents
            switch try insertContents(
                session, contents: batch.contents, newChunks: batch.newChunks, packs: packs, packKeys: &packKeys)
            {
            case .missing(let missing): return .missing(missing)
            case .stored(let result): stored = result
            }
            try insertFiles(
                session, versionID: versionID, files: batch.files.filter(\.isStored), contentIDs: stored.contentIDs)
            try insertReferences(session, versionID: versionID, entries: batch.files)
            return .recorded(addedBytes: stored.addedBytes, unusedChunks: stored.unusedChunks)
        }
        try session.execute("""
            UPDATE version SET size = \(totals.size), file_count = \(Int64(totals.fileCount)), added_bytes = \(totals.addedBytes)
            WHERE id = \(versionID)
            """)
        for alias in commit.aliases { _ = try moveAlias(session, alias, to: versionID, artifactID: artifactID) }
        return .created(try versionRecord(session, id: versionID), unusedChunks: totals.unusedChunks)
    }

    /// Takes the artifact's next version number; the caller holds the artifact's row lock.
    func nextIndex(_ session: PostgresSession, artifactID: Int64) throws -> Int {
        guard let index = try session.row(
            "UPDATE artifact SET next_index = next_index + 1 WHERE id = \(artifactID) RETURNING next_index - 1")?[0]
            .decode(Int.self)
        else { throw StoreError.catalog("artifact #\(artifactID) vanished during commit") }
        return index
    }

    /// Records a version's files, each pointing at its content; `skipExisting` keeps paths already there.
    func insertFiles(
        _ session: PostgresSession, versionID: Int64, files: [ManifestEntry], contentIDs: [String: Int64],
        skipExisting: Bool = false
    ) throws {
        guard !files.isEmpty else { return }
        var paths: [String] = []
        var contents: [Int64] = []
        paths.reserveCapacity(files.count)
        contents.reserveCapacity(files.count)
        for file in files {
            guard let contentID = contentIDs[file.digest] else {
                throw StoreError.catalog("file \(file.path) has no content record")
            }
            paths.append(file.path)
            contents.append(contentID)
        }
        try session.execute(PostgresQuery(unsafeSQL: """
            INSERT INTO file (version_id, path, content_id)
            SELECT $1, n.path, n.content_id FROM unnest($2::text[], $3::bigint[]) AS n(path, content_id)
            \(skipExisting ? "ON CONFLICT DO NOTHING" : "")
            """, binds: binds(versionID, paths, contents)))
    }

    /// The artifact's id, creating the project and the artifact if needed, with its row locked until
    /// the transaction ends: commits to one artifact take turns, in every process.
    func ensureArtifact(_ session: PostgresSession, project: String, name: String, type: String, now: Double) throws
        -> Int64
    {
        try session.execute(
            "INSERT INTO project (name, created_at) VALUES (\(project), \(now)) ON CONFLICT (name) DO NOTHING")
        guard let projectID = try session.row("SELECT id FROM project WHERE name = \(project)")?[0].decode(Int64.self)
        else { throw StoreError.catalog("project \(project) vanished while creating it") }
        try session.execute("""
            INSERT INTO artifact (project_id, name, type, created_at) VALUES (\(projectID), \(name), \(type), \(now))
            ON CONFLICT (project_id, name) DO NOTHING
            """)
        guard let row = try session.row(
            "SELECT id, type FROM artifact WHERE project_id = \(projectID) AND name = \(name) FOR UPDATE")
        else { throw StoreError.catalog("artifact \(project)/\(name) vanished while creating it") }
        let existing = try row[1].decode(String.self)
        guard existing == type else {
            throw StoreError.typeMismatch(artifact: "\(project)/\(name)", existing: existing, requested: type)
        }
        return try row[0].decode(Int64.self)
    }

    // MARK: Aliases and edits

    public func setAlias(_ alias: String, versionID: Int64) throws -> ArtifactVersion? {
        _ = try Alias.validateManual(alias)
        return try write { session in
            let found = try versionRecord(session, id: versionID)
            let artifactID = try artifactID(session, project: found.project, name: found.name, lock: true)
            // Read again under the lock: a deletion may have finished while this call waited for it.
            let version = try versionRecord(session, id: versionID)
            guard version.state == .committed else {
                throw StoreError.invalidArgument("\(version.qualifiedName) is not committed; aliases need a committed version")
            }
            return try moveAlias(session, alias, to: versionID, artifactID: artifactID)
        }
    }

    /// Points `alias` at a version, returning the version it was taken from (if another held it).
    /// The caller holds the artifact's row lock.
    func moveAlias(_ session: PostgresSession, _ alias: String, to versionID: Int64, artifactID: Int64) throws
        -> ArtifactVersion?
    {
        let key = Alias.key(alias)
        var previous: ArtifactVersion?
        if let holder = try session.row(
            "SELECT version_id FROM alias WHERE artifact_id = \(artifactID) AND name_key = \(key)")?[0].decode(Int64.self)
        {
            if holder != versionID { previous = try versionRecord(session, id: holder) }
            try session.execute("DELETE FROM alias WHERE artifact_id = \(artifactID) AND name_key = \(key)")
        }
        try session.execute("""
            INSERT INTO alias (artifact_id, version_id, name, name_key) VALUES (\(artifactID), \(versionID), \(alias), \(key))
            """)
        return previous
    }

    public func removeAlias(_ alias: String, versionID: Int64) throws {
        try write { session in
            let version = try versionRecord(session, id: versionID)
            if Alias.key(alias) == Alias.latest {
                throw StoreError.invalidAlias(alias: alias, rule: "is managed by the store and cannot be removed")
            }
            let removed = try session.execute(
                "DELETE FROM alias WHERE version_id = \(versionID) AND name_key = \(Alias.key(alias))")
            if removed == 0 { throw StoreError.aliasNotFound(artifact: version.qualifiedName, alias: alias) }
        }
    }

    public func updateVersion(id: Int64, description: String?, metadata: [String: JSONValue]?) throws {
        try write { session in
            try session.execute("SELECT id FROM version WHERE id = \(id) FOR UPDATE")
            let version = try versionRecord(session, id: id)
            guard version.state == .committed else {
                throw StoreError.versionNotFound(artifact: "\(version.project)/\(version.name)", reference: "id \(id)")
            }
            if let description {
                try session.execute("UPDATE version SET description = \(description) WHERE id = \(id)")
            }
            if let metadata {
                let text = PostgresCatalog.metadataText(metadata)
                try session.execute("UPDATE version SET metadata = \(text)::jsonb WHERE id = \(id)")
            }
        }
    }
}
