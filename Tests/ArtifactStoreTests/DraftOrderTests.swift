import Foundation
import Testing
@testable import ArtifactStore
import StoreTestSupport

/// A draft hands its files to a put in manifest order (by the bytes of their paths): straight from one
/// directory's walk, and sorted when they were added in any other order.
@Suite("Draft order")
struct DraftOrderTests {
    /// Names where listing order, Unicode order and byte order disagree: "a.txt" sorts before the
    /// directory "a"'s files ("a/…", '.' < '/'), "a-b" before both, "B" before "a", "é" after "z".
    static let files: [String: [UInt8]] = [
        "a/x.txt": [1], "a.txt": [2], "a-b": [3], "B": [4], "z": [5], "\u{E9}": [6], "a/b/c": [7], "ab": [8],
    ]

    static func inByteOrder(_ paths: [String]) -> [String] {
        paths.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    @Test func aWalkOfOneDirectoryComesOutInManifestOrder() throws {
        let fixture = try StoreFixture()
        let tree = try fixture.tree("t", Self.files)
        let walked = try SourceTree.walk(tree).map(\.path)
        #expect(walked == Self.inByteOrder(Array(Self.files.keys)))
    }

    @Test func filesAddedOutOfOrderAreSortedForThePut() throws {
        let fixture = try StoreFixture()
        let first = try fixture.tree("one", ["m.txt": [1], "n/o.txt": [2]])
        let second = try fixture.tree("two", ["a.txt": [3], "z.txt": [4]])
        var draft = ArtifactDraft(name: "data")
        try draft.addDirectory(first)
        try draft.addDirectory(second)
        try draft.addData(Data([5]), as: "b.txt")
        let expected = ["a.txt", "b.txt", "m.txt", "n/o.txt", "z.txt"]
        #expect(draft.sourcesInManifestOrder.map(\.path) == expected)
        #expect(draft.fileCount == 5)
        #expect(Set(draft.sources.keys) == Set(expected))
        // The version's digest does not depend on the order the files were added in.
        let log = try fixture.store.log(draft, project: "proj")
        var inOrder = ArtifactDraft(name: "data")
        try inOrder.addData(Data([3]), as: "a.txt")
        try inOrder.addData(Data([5]), as: "b.txt")
        try inOrder.addData(Data([1]), as: "m.txt")
        try inOrder.addData(Data([2]), as: "n/o.txt")
        try inOrder.addData(Data([4]), as: "z.txt")
        let again = try fixture.store.log(inOrder, project: "proj")
        #expect(!again.created && again.version.digest == log.version.digest)
    }

    @Test func aPathGivenTwiceKeepsItsFirstSourceAndItsPlace() throws {
        let fixture = try StoreFixture()
        let tree = try fixture.tree("t", ["a.txt": [1], "c.txt": [2]])
        let copy = try fixture.tree("u", ["c.txt": [2]])
        var draft = ArtifactDraft(name: "data")
        try draft.addDirectory(tree)
        try draft.addFile(copy.appendingPathComponent("c.txt"))
        try draft.addData(Data([9]), as: "b.txt")
        #expect(draft.sourcesInManifestOrder.map(\.path) == ["a.txt", "b.txt", "c.txt"])
        #expect(draft.sources["c.txt"]?.filePath == tree.appendingPathComponent("c.txt").path)
        #expect(throws: StoreError.conflictingPath(path: "b.txt")) { try draft.addData(Data([8]), as: "b.txt") }
    }
}
