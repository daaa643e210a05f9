import ArtifactStore
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// An upload in progress: packs staged for one project by one user, not yet committed.
public struct UploadRecord: Sendable, Equatable {
    /// The upload's id.
    public var id: String
    /// The project it will commit to.
    public var projectID: Int64
    /// The user who started it.
    public var userID: Int64
}

extension AccountStore {
    /// Starts an upload into a project.
    public func createUpload(projectID: Int64, userID: Int64) async throws -> String {
        let id = UUID().uuidString.lowercased()
        try await bounded { [self] in
            try await client.query(
                "INSERT INTO upload_sessions (id, project_id, user_id) VALUES (\(id), \(projectID), \(userID))",
                logger: logger)
        }
        return id
    }

    /// An upload, if it exists.
    public func upload(id: String) async throws -> UploadRecord? {
        try await bounded { [self] in
            for try await (projectID, userID) in try await client.query(
                "SELECT project_id, user_id FROM upload_sessions WHERE id = \(id)", logger: logger
            ).decode((Int64, Int64).self) {
                return UploadRecord(id: id, projectID: projectID, userID: userID)
            }
            return nil
        }
    }

    /// Records a stored pack and the checked chunks it holds as staged for an upload.
    public func stage(uploadID: String, pack: ObjectInfo, chunks: [StoredChunk]) async throws {
        try await bounded { [self] in
            try await client.withTransaction(logger: logger) { connection in
                // Using an upload keeps it alive; one expired meanwhile starts again empty (its old packs are gone).
                try await connection.query(
                    "UPDATE upload_sessions SET touched_at = now(), expired = FALSE WHERE id = \(uploadID)", logger: logger)
                try await connection.query(
                    "INSERT INTO upload_packs (upload_id, pack_key, size) VALUES (\(uploadID), \(pack.key), \(pack.size))",
                    logger: logger)
                // Every chunk of the pack in one statement: a pack holds hundreds of them.
                guard !chunks.isEmpty else { return }
                let digests = chunks.map { ByteBuffer(bytes: Hex.decode($0.digest) ?? []) }
                let locations = chunks.map(\.location)
                let keys = locations.map(\.packKey)
                let offsets = locations.map(\.offset)
                let storedLengths = locations.map(\.storedLength)
                let rawLengths = locations.map { Int64($0.rawLength) }
                let compressions = locations.map { Int16($0.compression.rawValue) }
                try await connection.query(
                    """
                    INSERT INTO upload_chunks (upload_id, digest, pack_key, "offset", stored_length, raw_length, compression)
                    SELECT \(uploadID), c.* FROM unnest(
                        \(digests)::bytea[], \(keys)::text[], \(offsets)::bigint[], \(storedLengths)::bigint[],
                        \(rawLengths)::bigint[], \(compressions)::smallint[])
                        AS c(digest, pack_key, "offset", stored_length, raw_length, compression)
                    ON CONFLICT (upload_id, digest) DO NOTHING
                    """, logger: logger)
            }
        }
    }

    /// The chunks and packs staged for an upload.
    public func staged(uploadID: String) async throws -> (chunks: [StoredChunk], packs: [ObjectInfo]) {
        try await bounded { [self] in
            try await client.withConnection { connection in
                try await LockedUpload(id: uploadID, connection: connection, logger: logger).staged()
            }
        }
    }

    /// Runs a commit of an upload while holding the upload's row lock, so expiry cannot remove its packs
    /// meanwhile, nor a part be sent again: `body` reads what was staged through the `LockedUpload` (none
    /// if the upload expired: the commit then names every chunk to send again) and returns its result
    /// and, when the version became visible, the digests its last part's contents name. The project is
    /// then recorded as holding those and the chunks of the upload's parts below `parts` (read from
    /// them by the database, however many there are), and the upload forgotten, in the same transaction.
    public func committing<T: Sendable>(
        uploadID: String, projectID: Int64, parts: Int = 0,
        _ body: @escaping @Sendable (LockedUpload) async throws -> (T, [String]?)
    ) async throws -> T {
        try await bounded(.seconds(600)) { [self] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    "SELECT id FROM upload_sessions WHERE id = \(uploadID) FOR UPDATE", logger: logger)
                try await connection.query(
                    "UPDATE upload_sessions SET touched_at = now() WHERE id = \(uploadID)", logger: logger)
                let (result, digests) = try await body(LockedUpload(id: uploadID, connection: connection, logger: logger))
                if let digests {
                    let buffers = digests.compactMap { Hex.decode($0) }.map { ByteBuffer(bytes: $0) }
                    try await connection.query(
                        """
                        INSERT INTO project_chunks (project_id, digest) SELECT \(projectID), d FROM unnest(\(buffers)::bytea[]) AS d
                        ON CONFLICT DO NOTHING
                        """, logger: logger)
                    if parts > 0 {
                        try await connection.query(
                            """
                            INSERT INTO project_chunks (project_id, digest)
                            SELECT DISTINCT \(projectID), decode(chunk, 'hex')
                            FROM upload_parts p,
                                jsonb_array_elements(convert_from(p.body, 'UTF8')::jsonb -> 'contents') AS content,
                                jsonb_array_elements_text(content -> 'chunks') AS chunk
                            WHERE p.upload_id = \(uploadID) AND p.part < \(Int32(parts))
                            ON CONFLICT DO NOTHING
                            """, logger: logger)
                    }
                    try await connection.query("DELETE FROM upload_sessions WHERE id = \(uploadID)", logger: logger)
                }
                return result
            }
        }
    }

    /// Expires uploads unused for `age`: forgets their staged chunks and returns the keys of their packs
    /// for the caller to delete. Uploads a commit is holding are skipped (their lock is taken), so a
    /// commit never loses its chunks to expiry; an expired upload may be used again, starting empty.
    public func expireUploads(unusedFor age: Duration) async throws -> [String] {
        let seconds = Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18
        return try await bounded { [self] in
            try await client.withTransaction(logger: logger) { connection in
                var ids: [String] = []
                for try await id in try await connection.query(
                    """
                    SELECT id FROM upload_sessions
                    WHERE NOT expired AND touched_at < now() - make_interval(secs => \(seconds))
                    FOR UPDATE SKIP LOCKED
                    """, logger: logger
                ).decode(String.self) {
                    ids.append(id)
                }
                return try await expire(ids, on: connection)
            }
        }
    }

    /// Expires one upload at once, as `expireUploads` does an abandoned one, and returns the keys of its
    /// packs for the caller to delete: for a commit the store refused, whose packs no retry of the same
    /// commit would use. Waits for a commit holding the upload.
    public func expireUpload(id: String) async throws -> [String] {
        try await bounded { [self] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT id FROM upload_sessions WHERE id = \(id) FOR UPDATE", logger: logger)
                return try await expire([id], on: connection)
            }
        }
    }

    /// Forgets the staged chunks and packs of the uploads `ids` (locked by the caller's transaction) and
    /// marks them expired; returns their packs' keys.
    private func expire(_ ids: [String], on connection: PostgresConnection) async throws -> [String] {
        guard !ids.isEmpty else { return [] }
        var keys: [String] = []
        for try await key in try await connection.query(
            "SELECT pack_key FROM upload_packs WHERE upload_id = ANY(\(ids)::text[])", logger: logger
        ).decode(String.self) {
            keys.append(key)
        }
        try await connection.query("DELETE FROM upload_chunks WHERE upload_id = ANY(\(ids)::text[])", logger: logger)
        try await connection.query("DELETE FROM upload_parts WHERE upload_id = ANY(\(ids)::text[])", logger: logger)
        try await connection.query("DELETE FROM upload_packs WHERE upload_id = ANY(\(ids)::text[])", logger: logger)
        try await connection.query(
            "UPDATE upload_sessions SET expired = TRUE WHERE id = ANY(\(ids)::text[])", logger: logger)
        return keys
    }

    /// Forgets a committed upload and records that its project now holds `digests`.
    public func finishUpload(id: String, projectID: Int64, digests: [String]) async throws {
        let buffers = digests.compactMap { Hex.decode($0) }.map { ByteBuffer(bytes: $0) }
        try await bounded { [self] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    """
                    INSERT INTO project_chunks (project_id, digest) SELECT \(projectID), d FROM unnest(\(buffers)::bytea[]) AS d
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
                try await connection.query("DELETE FROM upload_sessions WHERE id = \(id)", logger: logger)
            }
        }
    }

    /// Forgets every project's holding of `digests`, which the store no longer has: a deletion freed
    /// them after the holdings were recorded. An upload that still references them must send them again.
    public func forgetHeldChunks(_ digests: [String]) async throws {
        let buffers = digests.compactMap { Hex.decode($0) }.map { ByteBuffer(bytes: $0) }
        guard !buffers.isEmpty else { return }
        try await bounded { [self] in
            try await client.query(
                "DELETE FROM project_chunks WHERE digest = ANY(\(buffers)::bytea[])", logger: logger)
        }
    }

    /// Which of `digests` are held by one of the projects in `projectIDs` (the ones a caller may read).
    public func heldChunks(_ digests: [String], inProjects projectIDs: [Int64]) async throws -> Set<String> {
        try await bounded { [self] in
            try await client.withConnection { connection in
                try await Self.heldChunks(digests, inProjects: projectIDs, on: connection, logger: logger)
            }
        }
    }

    /// `heldChunks(_:inProjects:)` on `connection`.
    static func heldChunks(
        _ digests: [String], inProjects projectIDs: [Int64], on connection: PostgresConnection, logger: Logger
    ) async throws -> Set<String> {
        let buffers = digests.compactMap { Hex.decode($0) }.map { ByteBuffer(bytes: $0) }
        guard !buffers.isEmpty, !projectIDs.isEmpty else { return [] }
        var held = Set<String>()
        for try await digest in try await connection.query(
            """
            SELECT DISTINCT digest FROM project_chunks
            WHERE digest = ANY(\(buffers)::bytea[]) AND project_id = ANY(\(projectIDs)::bigint[])
            """, logger: logger
        ).decode(ByteBuffer.self) {
            held.insert(Hex.encode(digest.readableBytesView))
        }
        return held
    }
}
