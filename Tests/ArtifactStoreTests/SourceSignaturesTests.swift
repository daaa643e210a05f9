import Foundation
import Testing
@testable import ArtifactStore

/// The signature a put compares after reading a file is taken on the descriptor it read.
@Suite struct SourceSignaturesTests {
    /// A write while the file is read shows in the signature taken after it: the put refuses the file.
    @Test func aFileGrownWhileItIsReadHasAnotherSignature() throws {
        let fixture = try StoreFixture()
        let tree = try fixture.tree("t", ["f": Array("before".utf8)])
        let path = tree.appendingPathComponent("f").path
        let before = try #require(try SourceSignatures.of([ArtifactDraft.Source(path: "f", filePath: path)]).first)
        let (_, after, checkedNs) = try SourceSignatures.reading(fileAt: path) { _ in
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(" and after".utf8))
            try handle.close()
        }
        #expect(after != before && after.size == before.size + 10)
        #expect(checkedNs >= after.modifiedNs, "the clock is read after the last write, before the stat")
    }

    /// A file renamed over the path while the old one is read is caught as the path check caught it:
    /// the old file, which lost its name, has a new change time.
    @Test func aPathReplacedWhileItIsReadHasAnotherSignature() throws {
        let fixture = try StoreFixture()
        let tree = try fixture.tree("t", ["f": Array("old".utf8), "g": Array("new file".utf8)])
        let path = tree.appendingPathComponent("f").path
        let before = try #require(try SourceSignatures.of([ArtifactDraft.Source(path: "f", filePath: path)]).first)
        let (_, after, _) = try SourceSignatures.reading(fileAt: path) { _ in
            #expect(rename(tree.appendingPathComponent("g").path, path) == 0)
        }
        #expect(after != before && after.inode == before.inode && after.size == before.size, "the old file, read")
    }

    @Test func aMissingFileIsNamedInTheError() throws {
        let fixture = try StoreFixture()
        let path = fixture.root.appendingPathComponent("absent").path
        #expect(throws: StoreError.io(operation: "open", path: path, reason: "No such file or directory")) {
            _ = try SourceSignatures.reading(fileAt: path) { _ in Issue.record("read without a file") }
        }
    }
}
