import Foundation
import Testing
@testable import ArtifactStore

/// The compact chunk lists a restore looks files up in: every list must come back as the catalog
/// gave it, whatever order the contents were added in.
@Suite("ContentChunkTable: chunk lists by content digest")
struct ContentChunkTableTests {
    private static func digest(_ text: String) -> String { sha256Hex(Data(text.utf8)) }

    private static func location(_ pack: String, _ offset: Int64) -> ChunkLocation {
        ChunkLocation(packKey: pack, offset: offset, storedLength: 100 + offset, rawLength: Int(offset) * 3,
                      compression: offset % 2 == 0 ? .zstd : .none)
    }

    /// Contents of one chunk (the chunk's digest is the content's), of several, and of chunks in other
    /// packs, added in an order that is not the digests' order.
    private static let lists: [String: [StoredChunk]] = {
        var lists: [String: [StoredChunk]] = [:]
        for index in 0..<300 {
            let content = digest("content \(index)")
            lists[content] = index % 7 == 0
                ? (0..<3).map { StoredChunk(digest: digest("chunk \(index).\($0)"), location: location("pack-\($0)", Int64(index * 10 + $0))) }
                : [StoredChunk(digest: content, location: location("pack-\(index % 4)", Int64(index)))]
        }
        return lists
    }()

    @Test func everyListComesBackInOrderWhateverOrderContentsWereAddedIn() throws {
        var table = ContentChunkTable(reservingFor: 10)
        // Added as a catalog's rows come: a content's chunks together, contents in no digest order.
        for (content, list) in Self.lists {
            let contentDigest = try #require(BinaryDigest(hex: content))
            for chunk in list {
                let own = BinaryDigest(hex: chunk.digest)
                try #require(own != nil)
                table.append(content: contentDigest, chunk: chunk.digest == content ? nil : own, location: chunk.location)
            }
        }
        table.finish()
        for (content, list) in Self.lists { #expect(table.chunks(ofContent: content) == list) }
        #expect(table.lists == Self.lists)
        #expect(table.chunks(ofContent: Self.digest("never stored")) == nil)
        #expect(table.chunks(ofContent: "not a digest") == nil)
    }

    @Test func aTableMadeFromADictionaryGivesTheSameDictionaryBack() {
        var table = ContentChunkTable(Self.lists)
        table.finish()
        #expect(table.lists == Self.lists)
    }

    @Test func binaryDigestsOrderAsTheirHexTextAndSpellItBack() throws {
        let hexes = (0..<200).map { Self.digest("order \($0)") }
        let digests = try hexes.map { try #require(BinaryDigest(hex: $0)) }
        #expect(digests.sorted().map(\.hex) == hexes.sorted())
        #expect(BinaryDigest(hex: String(repeating: "g", count: 64)) == nil)
        #expect(BinaryDigest(hex: String(hexes[0].dropLast(2))) == nil)
        let bytes = try #require(Hex.decode(hexes[1]))
        #expect(BinaryDigest(bytes) == digests[1])
        #expect(BinaryDigest(bytes.dropLast()) == nil)
    }
}
