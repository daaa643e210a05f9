import ArtifactStore
import ArtifactWire

/// A version's contents as a team server lists them, found by digest with a binary search of the
/// manifest's own array (sorted by digest, as the server and `ManifestPages` give it): a dictionary
/// beside that array held a second copy of every content's slot (15 MiB for 100,000 files, 29 MiB
/// for 250,000) through a whole remote get.
struct ContentsByDigest: Sendable {
    private let contents: [WireContent]

    /// The contents, sorted by digest here unless they already are.
    init(_ contents: [WireContent]) {
        let sorted = zip(contents, contents.dropFirst()).allSatisfy { $0.digest < $1.digest }
        self.contents = sorted ? contents : contents.sorted { $0.digest < $1.digest }
    }

    /// The content whose digest is `digest`, if listed.
    subscript(digest digest: String) -> WireContent? {
        let index = contents.partitioningIndex { $0.digest >= digest }
        return index < contents.count && contents[index].digest == digest ? contents[index] : nil
    }
}
