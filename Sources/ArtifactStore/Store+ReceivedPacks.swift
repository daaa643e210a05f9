import Foundation

/// A pack received from elsewhere and stored: the object and the chunks it holds.
public struct StagedPack: Sendable {
    /// The pack object.
    public var pack: ObjectInfo
    /// Its chunks, each checked against its digest.
    public var chunks: [StoredChunk]
}

extension Store {
    /// Stores records received from elsewhere (a client's upload to a team server, records pulled
    /// from one) as a new pack, after checking every record against its digest. The chunks count
    /// for nothing until `commit(_:project:stagedChunks:packs:)` names them; a pack no commit uses is
    /// removed by that commit or by an upload's expiry.
    /// - Parameter maxRawLength: the largest chunk accepted.
    /// - Throws: `StoreError.corruptData` naming the bad record (nothing is stored then), `.io`.
    public func stage(pack bytes: Data, maxRawLength: Int) throws -> StagedPack {
        let key = PackRecords.newPackKey()
        let records = try bytes.withUnsafeBytes {
            try PackRecords.scan($0, packKey: key, maxRawLength: maxRawLength, codec: ZstdCodec())
        }
        // Straight from memory: a team server's object store seals and sends it without a staging file.
        do {
            try objects.store(key: key, bytes: bytes)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.io(operation: "store pack", path: key, reason: FileSystem.reason(of: error))
        }
        return StagedPack(
            pack: ObjectInfo(key: key, size: Int64(bytes.count)),
            chunks: records.map { StoredChunk(digest: $0.digest, location: $0.location) })
    }
}
