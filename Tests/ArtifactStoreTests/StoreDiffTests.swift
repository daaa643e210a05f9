import Foundation
import Testing
@testable import ArtifactStore

/// `Store.diff` beyond the catalog comparison (tested on both catalogs in CatalogDiffConformanceTests):
/// renames paired one to one, the version before, patches.
@Suite("store diff")
struct StoreDiffTests {
    private func version(
        _ fixture: StoreFixture, _ files: [String: String], metadata: [String: JSONValue] = [:],
        description: String = "", aliases: [String] = [], name: String = "data"
    ) throws -> ArtifactVersion {
        var draft = ArtifactDraft(name: name, description: description, metadata: metadata, aliases: aliases)
        for (path, text) in files { try draft.addData(Data(text.utf8), as: path) }
        return try fixture.store.log(draft, project: "proj").version
    }

    @Test("differences of two manifests in memory equal the catalog's, as a server client computes them")
    func manifestsInMemoryAgreeWithTheCatalog() throws {
        let fixture = try StoreFixture()
        let old = try version(fixture, ["keep": "same", "edit": "one", "gone": "bye", "Z/upper": "z", "b/x": "moved"])
        let new = try version(fixture, ["keep": "same", "edit": "two", "new": "hi", "a/x": "moved", "Z/lower": "y"])
        let catalog = try fixture.store.diff(from: old, to: new)
        let inMemory = VersionDiff(base: old, target: new, differences: .between(
            base: try fixture.store.files(of: old), target: try fixture.store.files(of: new)))
        #expect(inMemory.files == catalog.files)
        #expect(catalog.files.count == 6)
    }

    @Test("two copies of one content renamed pair up one to one; the extra copy stays added")
    func duplicateRenames() throws {
        let fixture = try StoreFixture()
        let old = try version(fixture, ["a": "x", "b": "x"])
        let new = try version(fixture, ["c": "x", "d": "x", "e": "x"])
        let kinds = try fixture.store.diff(from: old, to: new).files.map { "\($0.kind.rawValue) \($0.path)" }
        #expect(kinds == ["renamed c", "renamed d", "added e"])
    }

    @Test("the version before skips deleted numbers; the first version has none")
    func previous() throws {
        let fixture = try StoreFixture()
        let v0 = try version(fixture, ["f": "0"])
        let v1 = try version(fixture, ["f": "1"])
        let v2 = try version(fixture, ["f": "2"])
        #expect(try fixture.store.previousVersion(of: v2)?.id == v1.id)
        #expect(try fixture.store.previousVersion(of: v0) == nil)
        _ = try fixture.store.catalog.delete(versionIDs: [v1.id], deleteAliases: true)
        #expect(try fixture.store.previousVersion(of: v2)?.id == v0.id)
    }

    @Test("patches: unified hunks with context, new and removed files, binary and too large")
    func patches() throws {
        let fixture = try StoreFixture()
        let lines = (1...20).map { "line \($0)\n" }
        var changed = lines
        changed[9] = "line ten\n"
        let old = try version(fixture, ["a.txt": lines.joined(), "gone.txt": "x\n", "bin": "a\u{0}b", "big.txt": "y"])
        let new = try version(fixture, [
            "a.txt": changed.joined() + "line 21", "added.txt": "new\n", "bin": "a\u{0}c",
            "big.txt": String(repeating: "z", count: 2000),
        ])
        let diff = try fixture.store.diff(from: old, to: new)
        func patch(_ path: String, limit: Int64 = 1000) throws -> FilePatch? {
            try fixture.store.patch(for: try #require(diff.files.first { $0.path == path }), in: diff, sizeLimit: limit)
        }
        #expect(try patch("a.txt") == .text("""
            --- a/a.txt
            +++ b/a.txt
            @@ -7,7 +7,7 @@
             line 7
             line 8
             line 9
            -line 10
            +line ten
             line 11
             line 12
             line 13
            @@ -18,3 +18,4 @@
             line 18
             line 19
             line 20
            +line 21
            \\ No newline at end of file

            """))
        #expect(try patch("added.txt") == .text("--- /dev/null\n+++ b/added.txt\n@@ -0,0 +1 @@\n+new\n"))
        #expect(try patch("gone.txt") == .text("--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"))
        #expect(try patch("bin") == .binary)
        #expect(try patch("big.txt") == .tooLarge(limit: 1000))
    }
}
