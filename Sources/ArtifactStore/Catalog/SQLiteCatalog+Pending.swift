import Foundation
import GRDB

extension SQLiteCatalog {
    public func upsert(_ upsert: PendingUpsert) throws -> UpsertOutcome {
        try guarded {
            try database.write { db in
                let now = Date().timeIntervalSince1970
                let artifactID = try ensureArtifact(
                    db, project: upsert.project, name: upsert.name, type: upsert.type, now: now)
                let versionID: Int64
                if let pending = try pendingVersionID(db, artifactID: artifactID, distributedID: upsert.distributedID) {
                    versionID = pending
                } else {
                    try db.execute(sql: """
                        INSERT INTO version (artifactId, idx, digest, state, createdAt, size, fileCount, addedBytes,
                            producerRunId, distributedId)
                        VALUES (?, NULL, NULL, 'pending', ?, 0, 0, 0, ?, ?)
                        """, arguments: [artifactID, now, upsert.runID, upsert.distributedID])
                    versionID = db.lastInsertedRowID
                }

                let held = try heldDigests(db, versionID: versionID, paths: upsert.files.map(\.path))
                for file in upsert.files {
                    if let digest = held[file.path], digest != file.digest {
                        throw StoreError.upsertConflict(
                            artifact: "\(upsert.project)/\(upsert.name)", distributedID: upsert.distributedID,
                            path: file.path)
                    }
                }
                let stored: StoredContents
                var packIDs: [String: Int64] = [:]
                switch try insertContents(
                    db, contents: upsert.contents, newChunks: upsert.newChunks, packs: upsert.packs, packIDs: &packIDs)
                {
                case .missing(let missing): return .missingChunks(missing)
                case .stored(let result): stored = result
                }
                let insertFile = try db.cachedStatement(
                    sql: "INSERT INTO file (versionId, path, contentId) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                for file in upsert.files where held[file.path] == nil {
                    guard let contentID = stored.contentIDs[file.digest] else {
                        throw StoreError.catalog("file \(file.path) has no content record")
                    }
                    try insertFile.execute(arguments: [versionID, file.path, contentID])
                }
                try db.execute(sql: """
                    UPDATE version SET
                        size = (SELECT total(c.size) FROM file f JOIN content c ON c.id = f.contentId
                            WHERE f.versionId = version.id),
                        fileCount = (SELECT count(*) FROM file f WHERE f.versionId = version.id),
                        addedBytes = addedBytes + ?,
                        producerRunId = coalesce(producerRunId, ?)
                    WHERE id = ?
                    """, arguments: [stored.addedBytes, upsert.runID, versionID])
                return .added(try versionRecord(db, id: versionID), unusedChunks: stored.unusedChunks)
            }
        }
    }

    public func finishPending(project: String, name: String, distributedID: String, producerRunID: String?) throws
        -> ArtifactVersion
    {
        try guarded {
            try database.write { db in
                let artifactID = try artifactID(db, project: project, name: name)
                guard let versionID = try pendingVersionID(db, artifactID: artifactID, distributedID: distributedID)
                else { throw StoreError.noPendingVersion(artifact: "\(project)/\(name)", distributedID: distributedID) }
                let files = try Row.fetchAll(db, sql: """
                    SELECT f.path, c.digest, c.size FROM file f JOIN content c ON c.id = f.contentId
                    WHERE f.versionId = ?
                    """, arguments: [versionID]).map {
                    ManifestEntry(path: $0["path"], digest: CatalogDigest.hex($0, "digest"), size: $0["size"])
                }
                let index = try Int.fetchOne(
                    db, sql: "SELECT nextIndex FROM artifact WHERE id = ?", arguments: [artifactID])!
                try db.execute(sql: "UPDATE artifact SET nextIndex = nextIndex + 1 WHERE id = ?", arguments: [artifactID])
                // The finishing run is the producer when given; otherwise the first writer's run stays.
                try db.execute(sql: """
                    UPDATE version SET idx = ?, state = 'committed', digest = ?, createdAt = ?,
                        producerRunId = coalesce(?, producerRunId)
                    WHERE id = ?
                    """, arguments: [
                        index, try CatalogDigest.blob(Store.manifestDigest(files)), Date().timeIntervalSince1970, producerRunID, versionID,
                    ])
                return try versionRecord(db, id: versionID)
            }
        }
    }

    public func discardPending(project: String, name: String, distributedID: String) throws -> DeletionOutcome {
        try guarded {
            try database.write { db in
                let artifactID = try artifactID(db, project: project, name: name)
                guard let versionID = try pendingVersionID(db, artifactID: artifactID, distributedID: distributedID)
                else { throw StoreError.noPendingVersion(artifact: "\(project)/\(name)", distributedID: distributedID) }
                let (plan, packs) = try self.plan(db, versionIDs: [versionID])
                try removeDoomed(db)
                // A version that was never committed leaves no tombstone: nothing could have used it.
                try db.execute(sql: "DELETE FROM version WHERE id = ?", arguments: [versionID])
                return DeletionOutcome(plan: plan, packsToCompact: packs)
            }
        }
    }

    private func pendingVersionID(_ db: Database, artifactID: Int64, distributedID: String) throws -> Int64? {
        try Int64.fetchOne(
            db, sql: "SELECT id FROM version WHERE artifactId = ? AND distributedId = ? AND state = 'pending'",
            arguments: [artifactID, distributedID])
    }

    /// The content digest of each of `paths` the version already holds.
    private func heldDigests(_ db: Database, versionID: Int64, paths: [String]) throws -> [String: String] {
        var held: [String: String] = [:]
        for start in stride(from: 0, to: paths.count, by: 500) {
            let slice = Array(paths[start..<min(start + 500, paths.count)])
            for row in try Row.fetchAll(db, sql: """
                SELECT f.path, c.digest FROM file f JOIN content c ON c.id = f.contentId
                WHERE f.versionId = ? AND f.path IN (\(databaseQuestionMarks(count: slice.count)))
                """, arguments: StatementArguments([versionID]) + StatementArguments(slice))
            {
                held[row["path"]] = CatalogDigest.hex(row, "digest")
            }
        }
        return held
    }
}
