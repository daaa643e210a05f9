import ArtifactStore
import Testing
@testable import BrowserCore

@Suite struct DetailPaneReferenceTests {
    @Test func aReferenceEntryShowsItsURIAndAStoredFileOnlyItsPath() {
        let version = ArtifactVersion(
            id: 1, project: "p", name: "d", type: "dataset", index: 0, digest: "00", state: .committed,
            createdAt: .init(timeIntervalSince1970: 0), size: 10, fileCount: 2, addedBytes: 4, description: "",
            metadata: [:], aliases: [], loggedBy: nil)
        var files = FileList()
        files.files = [
            ManifestEntry(path: "own.txt", digest: "ab", size: 4),
            ManifestEntry(path: "big.bin", digest: "etag:x", size: 6,
                          reference: FileReference(uri: "s3://bucket/big.bin")),
        ]
        files.complete = true
        let state = BrowserState(storePath: "/s", size: TerminalSize(width: 80, height: 24), timeZone: .gmt)
        let texts = DetailPaneView.lines(for: version, files: files, state: state, width: 80).map(\.text)
        #expect(texts.contains("own.txt"))
        #expect(texts.contains("big.bin -> s3://bucket/big.bin"))
    }
}
