import ArtifactStore
import Foundation
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
                try await connection.query(
                    "INSERT INTO upload_packs (upload_id, pack_key, size) VALUES (\(uploadID), \(pack.key), \(pack.size))",
                    logger: logger)
                for chunk in chunks {
                    let digest = ByteBuffer(bytes: Hex.decode(chunk.digest) ?? [])
                    let location = chunk.location
                    try await connection.query(
                        """
                        INSERT INTO upload_chunks (upload_id, digest, pack_key, "offset", stored_length, raw_length, compression)
                        VALUES (\(uploadID), \(digest), \(location.packKey), \(location.offset), \(location.storedLength),
                                \(location.rawLength), \(Int16(location.compression.rawValue)))
                        ON CONFLICT (upload_id, digest) DO NOTHING
                        """, logger: logger)
                }
            }
        }
    }

    /// The chunks and packs staged for an upload.
    public func staged(uploadID: String) async throws -> (chunks: [StoredChunk], packs: [ObjectInfo]) {
        try await bounded { [self] in
            var chunks: [StoredChunk] = []
            for try await (digest, key, offset, stored, raw, compression) in try await client.query(
                """
                SELECT digest, pack_key, "offset", stored_length, raw_length, compression FROM upload_chunks
                WHERE upload_id = \(uploadID)
                """, logger: logger
            ).decode((ByteBuffer, String, Int64, Int64, Int, Int16).self) {
                chunks.append(StoredChunk(
                    digest: Hex.encode(digest.readableBytesView),
                    location: ChunkLocation(
                        packKey: key, offset: offset, storedLength: stored, rawLength: raw,
                        compression: ChunkCompression(rawValue: Int(compression)) ?? .none)))
            }
            var packs: [ObjectInfo] = []
            for try await (key, size) in try await client.query(
                "SELECT pack_key, size FROM upload_packs WHERE upload_id = \(uploadID)", logger: logger
            ).decode((String, Int64).self) {
                packs.append(ObjectInfo(key: key, size: size))
            }
            return (chunks, packs)
        }
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

    /// Which of `digests` are held by one of the projects in `projectIDs` (the ones a caller may read).
    public func heldChunks(_ digests: [String], inProjects projectIDs: [Int64]) async throws -> Set<String> {
        let buffers = digests.compactMap { Hex.decode($0) }.map { ByteBuffer(bytes: $0) }
        guard !buffers.isEmpty, !projectIDs.isEmpty else { return [] }
        return try await bounded { [self] in
            var held = Set<String>()
            for try await digest in try await client.query(
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
}
