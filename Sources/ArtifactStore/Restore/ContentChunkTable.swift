/// The chunk lists of a version's contents, as a restore looks them up file by file: held in two flat
/// arrays of fixed-size rows, with binary digests, instead of a dictionary of hex strings to arrays.
///
/// A version of 100,000 one-chunk files held 26 MiB as `[String: [StoredChunk]]` (a hex string, an
/// array and a dictionary slot per file); here it is about 10 MiB. A chunk that is its content's only
/// chunk (its digest is the content's) stores no digest of its own.
public struct ContentChunkTable: Sendable {
    /// One content: its digest and where its chunks are in `chunks`.
    private struct Content {
        var digest: BinaryDigest
        var firstChunk: Int32
        var chunkCount: Int32
    }

    /// One chunk's location, its digest unless it is its content's.
    private struct Chunk {
        var digest: BinaryDigest
        var offset: Int64
        var storedLength: Int64
        var rawLength: Int
        var pack: UInt32
        var compression: ChunkCompression
        var isWholeContent: Bool
    }

    /// Pack keys by position, each string shared by every chunk in that pack.
    private var packKeys: [String] = []
    private var packPositions: [String: UInt32] = [:]
    private var contents: [Content] = []
    private var chunks: [Chunk] = []
    /// Whether `contents` is still in the order rows were added, not yet sorted by digest.
    private var unsorted = false

    /// An empty table with room for `contents` contents and as many chunks (a version's file count
    /// bounds its contents, and most small files are one chunk).
    public init(reservingFor contents: Int = 0) {
        self.contents.reserveCapacity(contents)
        self.chunks.reserveCapacity(contents)
    }

    /// The table of chunk lists a catalog returned as a dictionary (the team server's catalog).
    public init(_ lists: [String: [StoredChunk]]) {
        self.init(reservingFor: lists.count)
        for (content, list) in lists {
            guard let contentDigest = BinaryDigest(hex: content) else { continue }
            for chunk in list {
                let own = chunk.digest == content ? nil : BinaryDigest(hex: chunk.digest)
                guard own != nil || chunk.digest == content else { continue }
                append(content: contentDigest, chunk: own, location: chunk.location)
            }
        }
    }

    /// Adds the next chunk of `content`, or the first chunk of a new one; a content's chunks are added
    /// together, in order. `chunk` is nil for a chunk whose digest is the content's.
    public mutating func append(content: BinaryDigest, chunk: BinaryDigest?, location: ChunkLocation) {
        if contents.last?.digest != content {
            if let last = contents.last, content < last.digest { unsorted = true }
            contents.append(Content(digest: content, firstChunk: Int32(chunks.count), chunkCount: 0))
        }
        contents[contents.count - 1].chunkCount += 1
        let pack = packPositions[location.packKey] ?? {
            packKeys.append(location.packKey)
            packPositions[location.packKey] = UInt32(packKeys.count - 1)
            return UInt32(packKeys.count - 1)
        }()
        chunks.append(Chunk(
            digest: chunk ?? content, offset: location.offset, storedLength: location.storedLength,
            rawLength: location.rawLength, pack: pack, compression: location.compression,
            isWholeContent: chunk == nil))
    }

    /// Makes the table ready for look-ups: sorts the contents by digest once all are added.
    public mutating func finish() {
        if unsorted { contents.sort { $0.digest < $1.digest } }
        unsorted = false
        contents.shrinkToFit()
        chunks.shrinkToFit()
    }

    /// The chunk list of the content `digest` (hex), in order; nil when the table has none.
    /// Call `finish()` first.
    public func chunks(ofContent digest: String) -> [StoredChunk]? {
        guard let key = BinaryDigest(hex: digest), let content = content(key) else { return nil }
        let range = Int(content.firstChunk)..<Int(content.firstChunk + content.chunkCount)
        return chunks[range].map { storedChunk($0, contentHex: digest) }
    }

    /// Every content's chunk list, keyed by the content's hex digest.
    public var lists: [String: [StoredChunk]] {
        var lists: [String: [StoredChunk]] = [:]
        lists.reserveCapacity(contents.count)
        for content in contents {
            let hex = content.digest.hex
            let range = Int(content.firstChunk)..<Int(content.firstChunk + content.chunkCount)
            lists[hex] = chunks[range].map { storedChunk($0, contentHex: hex) }
        }
        return lists
    }

    private func content(_ key: BinaryDigest) -> Content? {
        let index = contents.partitioningIndex { $0.digest >= key }
        return index < contents.count && contents[index].digest == key ? contents[index] : nil
    }

    private func storedChunk(_ chunk: Chunk, contentHex: String) -> StoredChunk {
        StoredChunk(
            digest: chunk.isWholeContent ? contentHex : chunk.digest.hex,
            location: ChunkLocation(
                packKey: packKeys[Int(chunk.pack)], offset: chunk.offset, storedLength: chunk.storedLength,
                rawLength: chunk.rawLength, compression: chunk.compression))
    }
}

extension Array {
    /// Gives back the capacity beyond `count`, when it is more than a few percent: arrays grown by
    /// doubling hold up to twice what they need.
    fileprivate mutating func shrinkToFit() {
        guard capacity > count + count / 16 + 16 else { return }
        var fitted: [Element] = []
        fitted.reserveCapacity(count)
        fitted.append(contentsOf: self)
        self = fitted
    }
}
