import Foundation
import NIOCore
import PostgresNIO

extension AccountStore {
    /// Keeps part `part` of an upload's commit (its files and contents as JSON) until the commit, in
    /// place of one sent before under the same number: a re-run of an interrupted put sends its parts again.
    public func stagePart(uploadID: String, part: Int, body: Data) async throws {
        let bytes = ByteBuffer(data: body)
        try await bounded { [self] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    "UPDATE upload_sessions SET touched_at = now(), expired = FALSE WHERE id = \(uploadID)", logger: logger)
                try await connection.query(
                    """
                    INSERT INTO upload_parts (upload_id, part, body) VALUES (\(uploadID), \(Int32(part)), \(bytes))
                    ON CONFLICT (upload_id, part) DO UPDATE SET body = excluded.body
                    """, logger: logger)
            }
        }
    }

    /// Part `part` of an upload's commit as it was sent, nil when it was not (or expired with the upload).
    public func part(uploadID: String, part: Int) async throws -> Data? {
        try await bounded { [self] in
            try await client.withConnection { connection in
                try await LockedUpload(id: uploadID, connection: connection, logger: logger).part(part)
            }
        }
    }
}
