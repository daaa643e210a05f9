import Foundation
import Testing
@testable import ArtifactStore

/// `Store.diff`: files by digest (renames included), metadata by dotted key, description, aliases, patches.
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

    @Test("added, removed, modified with both sizes, renamed by equal content")
    func files() throws {
        let fixture = try StoreFixture()
        let old = try version(fixture, [
            "keep.txt": "same\n", "edit.txt": "one\ntwo\n", "gone.txt": "bye\n", "old/name.txt": "moved content\n",
        ])
        let new = try version(fixture, [
            "keep.txt": "same\n", "edit.txt": "one\ntwo\nthree\n", "new.txt": "hello\n", "new/name.txt": "moved content\n",
        ])
        let diff = try fixture.store.diff(from: old, to: new)
        let summary = diff.files.map { "\($0.kind.rawValue) \($0.base?.path ?? "-") \($0.target?.path ?? "-")" }
        #expect(summary == [
            "modified edit.txt edit.txt", "removed gone.txt -", "added - new.txt", "renamed old/name.txt new/name.txt",
        ])
        let edit = try #require(diff.files.first { $0.kind == .modified })
        #expect(edit.base?.size == 8)
        #expect(edit.target?.size == 14)
        #expect(diff.count(.renamed) == 1)
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

    @Test("metadata keys added, removed and changed, nested keys with dots; description and aliases")
    func metadataDescriptionAliases() throws {
        let fixture = try StoreFixture()
        let old = try version(fixture, ["f": "1"], metadata: [
            "acc": .double(0.9), "train": .object(["lr": .double(0.01), "epochs": .int(3)]), "dropped": .bool(true),
        ], description: "first", aliases: ["candidate"])
        let new = try version(fixture, ["f": "2"], metadata: [
            "acc": .double(0.95), "train": .object(["lr": .double(0.01), "epochs": .int(5), "seed": .int(7)]),
        ], description: "second", aliases: ["best"])
        // As the catalog has them now: `latest` moved to the newer version.
        let diff = try fixture.store.diff(from: fixture.store.version(id: old.id), to: fixture.store.version(id: new.id))
        #expect(diff.metadata == [
            MetadataDifference(key: "acc", kind: .changed, base: .double(0.9), target: .double(0.95)),
            MetadataDifference(key: "dropped", kind: .removed, base: .bool(true), target: nil),
            MetadataDifference(key: "train.epochs", kind: .changed, base: .int(3), target: .int(5)),
            MetadataDifference(key: "train.seed", kind: .added, base: nil, target: .int(7)),
        ])
        #expect(diff.descriptionChanged)
        #expect(diff.aliasesAdded == ["latest", "best"])
        #expect(diff.aliasesRemoved == ["candidate"])
        #expect(try fixture.store.diff(from: new, to: new).isEmpty)
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
