import ArtifactStore
import Foundation

/// A commit cut into parts of at most `filesPerPart` files each, in manifest (byte) order: the parts to send
/// first (`part(_:)`, made one at a time so that no more than one is encoded at once), then `commit`,
/// which holds the last part's files and names how many came before. A commit of `filesPerPart` files
/// or fewer is one request, as before parts existed.
public struct CommitInParts: Sendable {
    /// The whole commit.
    public let request: CommitRequest
    /// Files in each part.
    public let filesPerPart: Int
    private let contents: [String: WireContent]

    /// Cuts `request` into parts of `filesPerPart` files (at least 1), its files put in manifest order
    /// first: the server reads the parts one after the other and refuses a part that starts before the
    /// previous one ended.
    public init(_ request: CommitRequest, filesPerPart: Int) {
        var request = request
        if request.files.count > filesPerPart { request.files = ManifestDigest.inByteOrder(request.files) }
        self.request = request
        self.filesPerPart = max(1, filesPerPart)
        contents = request.files.count > filesPerPart
            ? Dictionary(request.contents.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first }) : [:]
    }

    /// How many parts go before the commit: 0 when it fits in one request.
    public var count: Int {
        request.files.count <= filesPerPart ? 0 : (request.files.count - 1) / filesPerPart
    }

    /// Part `number` (below `count`): its files and the contents they name.
    public func part(_ number: Int) -> CommitPart {
        files(number * filesPerPart..<(number + 1) * filesPerPart)
    }

    /// The request that commits the version: the whole one when `count` is 0, else the last part's
    /// files with `parts` set.
    public var commit: CommitRequest {
        guard count > 0 else { return request }
        let last = files(count * filesPerPart..<request.files.count)
        var commit = request
        commit.files = last.files
        commit.contents = last.contents
        commit.parts = count
        return commit
    }

    private func files(_ range: Range<Int>) -> CommitPart {
        let slice = request.files[range]
        var named = Set<String>()
        let partContents = slice.compactMap { file -> WireContent? in
            guard file.isStored, named.insert(file.digest).inserted else { return nil }
            return contents[file.digest]
        }
        return CommitPart(files: Array(slice), contents: partContents)
    }
}
