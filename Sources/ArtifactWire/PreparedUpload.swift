import ArtifactStore
import Crypto
import Foundation

/// A client's side of the upload protocol for files it holds: cuts them into chunks exactly as the
/// embedded store does, and packs chosen chunks in the store's pack-record format.
///
/// Chunks are kept in memory; meant for uploads that fit in memory (tests, small artifacts).
public struct PreparedUpload: Sendable {
    /// The files, sorted by path.
    public private(set) var files: [ManifestEntry] = []
    /// Every distinct content, with its chunks.
    public private(set) var contents: [WireContent] = []
    /// Raw bytes of every distinct chunk, by digest.
    public private(set) var chunks: [String: [UInt8]] = [:]
    /// Every distinct chunk digest, in the order first seen.
    public private(set) var chunkOrder: [String] = []

    /// Chunks `files` (artifact path → bytes).
    public init(files: [String: Data]) {
        let chunker = FastCDC()
        var seenContents = Set<String>()
        for (path, data) in files.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            let digest = Hex.encode(Array(SHA256.hash(data: data)))
            self.files.append(ManifestEntry(path: path, digest: digest, size: Int64(data.count)))
            guard seenContents.insert(digest).inserted else { continue }
            var digests: [String] = []
            data.withUnsafeBytes { bytes in
                chunker.forEachChunk(of: bytes) { chunk in
                    let chunkDigest = Hex.encode(Array(SHA256.hash(data: chunk)))
                    digests.append(chunkDigest)
                    if chunks[chunkDigest] == nil {
                        chunks[chunkDigest] = Array(chunk)
                        chunkOrder.append(chunkDigest)
                    }
                }
            }
            contents.append(WireContent(digest: digest, size: Int64(data.count), chunks: digests))
        }
    }

    /// One pack holding the records of `digests` (which must be chunks of this upload).
    public func pack(_ digests: [String]) -> [UInt8] {
        let codec = ZstdCodec()
        var pack: [UInt8] = []
        for digest in digests {
            guard let bytes = chunks[digest] else { continue }
            bytes.withUnsafeBytes { _ = PackRecords.append(chunk: $0, to: &pack, codec: codec) }
        }
        return pack
    }

    /// The commit for these files (an upsert into a pending version when `distributedID` is set).
    public func commit(
        artifact: String, type: String, description: String? = nil, metadata: [String: JSONValue]? = nil,
        aliases: [String]? = nil, run: String? = nil, distributedID: String? = nil
    ) -> CommitRequest {
        CommitRequest(
            artifact: artifact, type: type, description: description, metadata: metadata, aliases: aliases,
            run: run, files: files, contents: contents, distributedID: distributedID)
    }
}

extension WireContent {
    /// The SHA-256 digest (hex) of bytes, as contents and chunks are named: to check what a server sent.
    public static func digest(of data: Data) -> String { Hex.encode(Array(SHA256.hash(data: data))) }
}
