import ArtifactStore
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// An upload's rows read on one connection: during a commit (`AccountStore.committing`), the one that
/// holds the upload's row lock, so that a commit uses one accounts connection however many parts it
/// reads, and nothing can be staged into the upload, nor expire it, meanwhile.
public struct LockedUpload: Sendable {
    /// The upload's id.
    public let id: String
    let connection: PostgresConnection
    let logger: Logger

    /// Every chunk and pack staged for the upload.
    public func staged() async throws -> (chunks: [StoredChunk], packs: [ObjectInfo]) {
        (try await stagedChunks(where: nil), try await packs())
    }

    /// The packs staged for the upload.
    public func packs() async throws -> [ObjectInfo] {
        var packs: [ObjectInfo] = []
        for try await (key, size) in try await connection.query(
            "SELECT pack_key, size FROM upload_packs WHERE upload_id = \(id)", logger: logger
        ).decode((String, Int64).self) {
            packs.append(ObjectInfo(key: key, size: size))
        }
        return packs
    }

    /// The staged chunks among `digests` (lower-case hex), with their locations.
    public func stagedChunks(among digests: [String]) async throws -> [StoredChunk] {
        guard !digests.isEmpty else { return [] }
        return try await stagedChunks(where: digests.compactMap { Hex.decode($0) }.map { ByteBuffer(bytes: $0) })
    }

    /// Part `number` of the upload's commit as it was sent, nil when it was not.
    public func part(_ number: Int) async throws -> Data? {
        for try await body in try await connection.query(
            "SELECT body FROM upload_parts WHERE upload_id = \(id) AND part = \(Int32(number))", logger: logger
        ).decode(ByteBuffer.self) {
            return Data(body.readableBytesView)
        }
        return nil
    }

    /// Which of `digests` are held by one of the projects in `projectIDs` (the ones a caller may read),
    /// as `AccountStore.heldChunks` answers.
    public func heldChunks(_ digests: [String], inProjects projectIDs: [Int64]) async throws -> Set<String> {
        try await AccountStore.heldChunks(digests, inProjects: projectIDs, on: connection, logger: logger)
    }

    private func stagedChunks(where digests: [ByteBuffer]?) async throws -> [StoredChunk] {
        var chunks: [StoredChunk] = []
        let rows: PostgresRowSequence
        if let digests {
            rows = try await connection.query(
                """
                SELECT digest, pack_key, "offset", stored_length, raw_length, compression FROM upload_chunks
                WHERE upload_id = \(id) AND digest = ANY(\(digests)::bytea[])
                """, logger: logger)
        } else {
            rows = try await connection.query(
                """
                SELECT digest, pack_key, "offset", stored_length, raw_length, compression FROM upload_chunks
                WHERE upload_id = \(id)
                """, logger: logger)
        }
        for try await (digest, key, offset, stored, raw, compression) in rows.decode(
            (ByteBuffer, String, Int64, Int64, Int, Int16).self)
        {
            chunks.append(StoredChunk(
                digest: Hex.encode(digest.readableBytesView),
                location: ChunkLocation(
                    packKey: key, offset: offset, storedLength: stored, rawLength: raw,
                    compression: ChunkCompression(rawValue: Int(compression)) ?? .none)))
        }
        return chunks
    }
}
