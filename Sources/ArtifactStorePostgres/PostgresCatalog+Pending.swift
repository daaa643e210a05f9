import ArtifactStore
import Foundation
import PostgresNIO

extension PostgresCatalog {
    public func upsert(_ upsert: PendingUpsert) throws -> UpsertOutcome {
        try write { session in
            try lockChunks(session, exclusive: false)
            let now = Date().timeIntervalSince1970
            // The artifact's row lock makes parallel writers of one pending version take turns.
            let artifactID = try ensureArtifact(
                session, project: upsert.project, name: upsert.name, type: upsert.type, now: now)
            let versionID: Int64
            if let pending = try pendingVersionID(session, artifactID: artifactID, distributedID: upsert.distributedID) {
                versionID = pending
            } else {
                guard let id = try session.row("""
                    INSERT INTO version (artifact_id, idx, digest, state, created_at, size, file_count, added_bytes,
                        producer_run_id, distributed_id)
                    VALUES (\(artifactID), NULL, NULL, 'pending', \(now), 0, 0, 0, \(upsert.runID), \(upsert.distributedID))
                    RETURNING id
                    """)?[0].decode(Int64.self)
                else { throw StoreError.catalog("the pending version of \(upsert.project)/\(upsert.name) got no id") }
                versionID = id
            }

            let held = try heldDigests(session, versionID: versionID, paths: upsert.files.map(\.path))
            for file in upsert.files {
                if let digest = held[file.path], digest != file.digest {
                    throw StoreError.upsertConflict(
                        artifact: "\(upsert.project)/\(upsert.name)", distributedID: upsert.distributedID, path: file.path)
                }
            }
            let stored: StoredContents
            var packKeys = Set<String>()
            switch try insertContents(
                session, contents: upsert.contents, newChunks: upsert.newChunks, packs: upsert.packs, packKeys: &packKeys)
            {
            case .missing(let missing): return .missingChunks(missing)
            case .stored(let result): stored = result
            }
            try insertFiles(
                session, versionID: versionID, files: upsert.files.filter { held[$0.path] == nil },
                contentIDs: stored.contentIDs, skipExisting: true)
            try session.execute("""
                UPDATE version SET
                    size = (SELECT coalesce(sum(c.size), 0)::bigint FROM file f JOIN content c ON c.id = f.content_id
                        WHERE f.version_id = version.id),
                    file_count = (SELECT count(*) FROM file f WHERE f.version_id = version.id),
                    added_bytes = added_bytes + \(stored.addedBytes),
                    producer_run_id = coalesce(producer_run_id, \(upsert.runID))
                WHERE id = \(versionID)
                """)
            return .added(try versionRecord(session, id: versionID), unusedChunks: stored.unusedChunks)
        }
    }

    public func finishPending(project: String, name: String, distributedID: String, producerRunID: String?) throws
        -> ArtifactVersion
    {
        try write { session in
            let artifactID = try artifactID(session, project: project, name: name, lock: true)
            guard let versionID = try pendingVersionID(session, artifactID: artifactID, distributedID: distributedID)
            else { throw StoreError.noPendingVersion(artifact: "\(project)/\(name)", distributedID: distributedID) }
            let files = try session.rows("""
                SELECT f.path, encode(c.digest, 'hex'), c.size FROM file f JOIN content c ON c.id = f.content_id
                WHERE f.version_id = \(versionID)
                """).map(PostgresCatalog.manifestEntry)
            let index = try nextIndex(session, artifactID: artifactID)
            let digest = Store.manifestDigest(files)
            let now = Date().timeIntervalSince1970
            // The finishing run is the producer when given; otherwise the first writer's run stays.
            try session.execute("""
                UPDATE version SET idx = \(index), state = 'committed', digest = decode(\(digest), 'hex'), created_at = \(now),
                    producer_run_id = coalesce(\(producerRunID), producer_run_id)
                WHERE id = \(versionID)
                """)
            return try versionRecord(session, id: versionID)
        }
    }

    public func discardPending(project: String, name: String, distributedID: String) throws -> DeletionOutcome {
        try write { session in
            try lockChunks(session, exclusive: true)
            let artifactID = try artifactID(session, project: project, name: name, lock: true)
            guard let versionID = try pendingVersionID(session, artifactID: artifactID, distributedID: distributedID)
            else { throw StoreError.noPendingVersion(artifact: "\(project)/\(name)", distributedID: distributedID) }
            let doomed = try doomed(session, versionIDs: [versionID])
            try remove(session, doomed)
            // A version that was never committed leaves no tombstone: nothing could have used it.
            try session.execute("DELETE FROM version WHERE id = \(versionID)")
            return DeletionOutcome(plan: doomed.plan, packsToCompact: doomed.packs)
        }
    }

    private func pendingVersionID(_ session: PostgresSession, artifactID: Int64, distributedID: String) throws -> Int64? {
        try session.row("""
            SELECT id FROM version WHERE artifact_id = \(artifactID) AND distributed_id = \(distributedID) AND state = 'pending'
            """)?[0].decode(Int64.self)
    }

    /// The content digest of each of `paths` the version already holds.
    private func heldDigests(_ session: PostgresSession, versionID: Int64, paths: [String]) throws -> [String: String] {
        guard !paths.isEmpty else { return [:] }
        var held: [String: String] = [:]
        for row in try session.rows("""
            SELECT f.path, encode(c.digest, 'hex') FROM file f JOIN content c ON c.id = f.content_id
            WHERE f.version_id = \(versionID) AND f.path = ANY(\(paths))
            """)
        {
            held[try row[0].decode(String.self)] = try row[1].decode(String.self)
        }
        return held
    }
}
