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
    /// - Throws: `StoreError.corruptData` naming the bad record (nothing is stored then); what the
    ///   object store throws when it cannot store the pack (`.io` for a local one).
    public func stage(pack bytes: Data, maxRawLength: Int) throws -> StagedPack {
        let key = PackRecords.newPackKey()
        let records = try bytes.withUnsafeBytes {
            try PackRecords.scan($0, packKey: key, maxRawLength: maxRawLength, codec: ZstdCodec())
        }
        // Straight from memory: a team server's object store seals and sends it without a staging file.
        // Its error is passed on as it is: wrapped in `.io` an S3 store's outage read as a disk fault (500)
        // where the server answers an unavailable store with 503.
        try objects.store(key: key, bytes: bytes)
        return StagedPack(
            pack: ObjectInfo(key: key, size: Int64(bytes.count)),
            chunks: records.map { StoredChunk(digest: $0.digest, location: $0.location) })
    }

    /// A pack `stage(pack:maxRawLength:)` stored that no commit has used (a pull interrupted before its
    /// commit), checked record by record again and staged anew under a new key, its old object deleted,
    /// so a re-run commits it instead of receiving its chunks again. The copy is as young as a pack just
    /// received, so `verify --repair`'s grace for orphans covers it until the commit, and two runs that
    /// find the same leftover never commit, or delete, one object between them.
    /// - Returns: nil when the catalog records the pack with chunks in it (a commit used it after all:
    ///   its chunks are in the store); nothing is read, copied or deleted then.
    /// - Throws: `StoreError.corruptData` naming a bad record; what the object store throws when the
    ///   pack is gone (removed by `verify --repair`, or by another run that restaged it first).
    public func restage(packKey key: String, maxRawLength: Int) throws -> StagedPack? {
        guard try catalog.emptyPacks(among: [key]).contains(key) else { return nil }
        let reader = try objects.reader(key: key)
        var scratch: [UInt8] = []
        var copy: StagedPack?
        try reader.withBytes(offset: 0, length: Int(reader.size), scratch: &scratch) { bytes in
            copy = try stage(pack: Data(bytes), maxRawLength: maxRawLength)
        }
        try? objects.delete(key: key)
        return copy
    }
}
