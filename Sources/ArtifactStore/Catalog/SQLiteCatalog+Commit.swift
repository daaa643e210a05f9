import Foundation
import GRDB

extension SQLiteCatalog {
    public func commit(_ commit: VersionCommit) throws -> CommitOutcome {
        try guarded {
            do {
                return try database.write { db in
                    let outcome = try performCommit(db, commit)
                    try FaultInjection.check(.commit, operation: "commit to", path: path)
                    return outcome
                }
            } catch let rollback as MissingChunksRollback {
                return .missingChunks(rollback.digests)
            }
        }
    }

    /// Records the version, then its batches one at a time, and its totals last: a batch whose chunks
    /// are gone throws `MissingChunksRollback`, which takes back every earlier one.
    private func performCommit(_ db: Database, _ commit: VersionCommit) throws -> CommitOutcome {
        let now = Date().timeIntervalSince1970
        let artifactID = try ensureArtifact(db, project: commit.project, name: commit.name, type: commit.type, now: now)

        if let latest = try Row.fetchOne(db, sql: """
            SELECT id, digest FROM version WHERE artifactId = ? AND state = 'committed' ORDER BY idx DESC LIMIT 1
            """, arguments: [artifactID]), CatalogDigest.hex(latest, "digest") == commit.digest
        {
            let latestID: Int64 = latest["id"]
            for alias in commit.aliases { _ = try moveAlias(db, alias, to: latestID, artifactID: artifactID) }
            return .unchanged(try versionRecord(db, id: latestID))
        }

        let index = try Int.fetchOne(db, sql: "SELECT nextIndex FROM artifact WHERE id = ?", arguments: [artifactID])!
        try db.execute(sql: "UPDATE artifact SET nextIndex = nextIndex + 1 WHERE id = ?", arguments: [artifactID])
        try db.execute(sql: """
            INSERT INTO version (artifactId, idx, digest, state, createdAt, size, fileCount, addedBytes,
                description, metadata, producerRunId)
            VALUES (?, ?, ?, 'committed', ?, 0, 0, 0, ?, ?, ?)
            """, arguments: [
                artifactID, index, try CatalogDigest.blob(commit.digest), now, commit.description,
                SQLiteCatalog.metadataText(commit.metadata), commit.producerRunID,
            ])
        let versionID = db.lastInsertedRowID
        let insertFile = try BoundStatement(db, sql: "INSERT INTO file (versionId, path, contentId) VALUES (?1, ?2, ?3)")
        insertFile.bind(1, versionID)
        var packIDs: [String: Int64] = [:]
        let totals = try commit.recordBatches { batch, packs in
            let stored: StoredContents
            switch try insertContents(
                db, contents: batch.contents, newChunks: batch.newChunks, packs: packs, packIDs: &packIDs)
            {
            case .missing(let missing): return .missing(missing)
            case .stored(let result): stored = result
            }
            for file in batch.files where file.isStored {
                guard let contentID = stored.contentIDs[file.digest] else {
                    throw StoreError.catalog("file \(file.path) has no content record")
                }
                insertFile.bind(2, file.path)
                insertFile.bind(3, contentID)
                try insertFile.run()
            }
            try insertReferences(db, versionID: versionID, entries: batch.files)
            return .recorded(addedBytes: stored.addedBytes, unusedChunks: stored.unusedChunks)
        }
        try db.execute(
            sql: "UPDATE version SET size = ?, fileCount = ?, addedBytes = ? WHERE id = ?",
            arguments: [totals.size, totals.fileCount, totals.addedBytes, versionID])
        for alias in commit.aliases { _ = try moveAlias(db, alias, to: versionID, artifactID: artifactID) }
        return .created(try versionRecord(db, id: versionID), unusedChunks: totals.unusedChunks)
    }

    /// The artifact's id, creating the project and the artifact if needed.
    func ensureArtifact(_ db: Database, project: String, name: String, type: String, now: Double) throws
        -> Int64
    {
        try db.execute(
            sql: "INSERT INTO project (name, createdAt) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            arguments: [project, now])
        let projectID = try Int64.fetchOne(db, sql: "SELECT id FROM project WHERE name = ?", arguments: [project])!
        if let row = try Row.fetchOne(
            db, sql: "SELECT id, type FROM artifact WHERE projectId = ? AND name = ?", arguments: [projectID, name])
        {
            let existing: String = row["type"]
            guard existing == type else {
                throw StoreError.typeMismatch(artifact: "\(project)/\(name)", existing: existing, requested: type)
            }
            return row["id"]
        }
        try db.execute(
            sql: "INSERT INTO artifact (projectId, name, type, createdAt) VALUES (?, ?, ?, ?)",
            arguments: [projectID, name, type, now])
        return db.lastInsertedRowID
    }

    // MARK: Aliases and edits

    public func setAlias(_ alias: String, versionID: Int64) throws -> ArtifactVersion? {
        try Alias.validateManual(alias)
        return try guarded {
            try database.write { db in
                let version = try versionRecord(db, id: versionID)
                guard version.state == .committed else {
                    throw StoreError.invalidArgument("\(version.qualifiedName) is not committed; aliases need a committed version")
                }
                let artifactID = try artifactID(db, project: version.project, name: version.name)
                return try moveAlias(db, alias, to: versionID, artifactID: artifactID)
            }
        }
    }

    /// Points `alias` at a version, returning the version it was taken from (if another held it).
    func moveAlias(_ db: Database, _ alias: String, to versionID: Int64, artifactID: Int64) throws -> ArtifactVersion? {
        let key = Alias.key(alias)
        var previous: ArtifactVersion?
        if let holder = try Int64.fetchOne(
            db, sql: "SELECT versionId FROM alias WHERE artifactId = ? AND nameKey = ?", arguments: [artifactID, key])
        {
            if holder != versionID { previous = try versionRecord(db, id: holder) }
            try db.execute(
                sql: "DELETE FROM alias WHERE artifactId = ? AND nameKey = ?", arguments: [artifactID, key])
        }
        try db.execute(
            sql: "INSERT INTO alias (artifactId, versionId, name, nameKey) VALUES (?, ?, ?, ?)",
            arguments: [artifactID, versionID, alias, key])
        return previous
    }

    public func removeAlias(_ alias: String, versionID: Int64) throws {
        try guarded {
            try database.write { db in
                let version = try versionRecord(db, id: versionID)
                if Alias.key(alias) == Alias.latest {
                    throw StoreError.invalidAlias(alias: alias, rule: "is managed by the store and cannot be removed")
                }
                try db.execute(
                    sql: "DELETE FROM alias WHERE versionId = ? AND nameKey = ?", arguments: [versionID, Alias.key(alias)])
                if db.changesCount == 0 {
                    throw StoreError.aliasNotFound(artifact: version.qualifiedName, alias: alias)
                }
            }
        }
    }

    public func updateVersion(id: Int64, description: String?, metadata: [String: JSONValue]?) throws {
        try guarded {
            try database.write { db in
                let version = try versionRecord(db, id: id)
                guard version.state == .committed else {
                    throw StoreError.versionNotFound(artifact: "\(version.project)/\(version.name)", reference: "id \(id)")
                }
                if let description {
                    try db.execute(sql: "UPDATE version SET description = ? WHERE id = ?", arguments: [description, id])
                }
                if let metadata {
                    try db.execute(
                        sql: "UPDATE version SET metadata = ? WHERE id = ?",
                        arguments: [SQLiteCatalog.metadataText(metadata), id])
                }
            }
        }
    }
}
