@testable import ArtifactStore
import Foundation
import ProcessTestSupport
import StoreTestSupport
import Testing

/// `diff`: files compared by digest in the catalog, identical on SQLite and PostgreSQL.
@Suite("Catalog conformance: diff", .blockingCalls)
struct CatalogDiffConformanceTests {
    private func version(
        _ fixture: ConformanceFixture, _ files: [String: String], metadata: [String: JSONValue] = [:],
        description: String = "", aliases: [String] = []
    ) throws -> ArtifactVersion {
        var draft = ArtifactDraft(name: "data", description: description, metadata: metadata, aliases: aliases)
        for (path, text) in files { try draft.addData(Data(text.utf8), as: path) }
        return try fixture.store.log(draft, project: "proj").version
    }

    @Test(arguments: CatalogKind.available)
    func addedRemovedModifiedWithBothSizesAndRenamedByEqualContent(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
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
        #expect(edit.base?.size == 8 && edit.target?.size == 14)
        #expect(edit.base?.digest != edit.target?.digest && edit.base?.digest.count == 64)
        // The other way round, additions become removals.
        let back = try fixture.store.diff(from: new, to: old)
        #expect(back.files.map { "\($0.kind.rawValue) \($0.path)" } == [
            "modified edit.txt", "added gone.txt", "removed new.txt", "renamed old/name.txt",
        ])
    }

    @Test(arguments: CatalogKind.available)
    func pathsThatSortCloseTogetherAreEachComparedWithTheirOwnCounterpart(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        // Prefixes, separators below and above "/", case, and bytes above ASCII, on both sides.
        let names = ["a", "a-b", "a.b", "a/b", "a/b/c", "a0", "aB", "ab", "B", "b", "é", "ée", "z", "~"]
        var old: [String: String] = [:]
        var new: [String: String] = [:]
        for (index, name) in names.enumerated() {
            for side in 0..<3 {
                let path = "\(name)/\(side)"
                switch (index + side) % 4 {
                case 0: old[path] = "only old \(path)"
                case 1: new[path] = "only new \(path)"
                case 2: (old[path], new[path]) = ("before \(path)", "after \(path)")
                default: (old[path], new[path]) = ("same \(path)", "same \(path)")
                }
            }
        }
        let diff = try fixture.store.diff(from: try version(fixture, old), to: try version(fixture, new))
        func paths(_ kind: FileChange.Kind) -> Set<String> { Set(diff.files.filter { $0.kind == kind }.map(\.path)) }
        #expect(paths(.removed) == Set(old.keys).subtracting(new.keys))
        #expect(paths(.added) == Set(new.keys).subtracting(old.keys))
        #expect(paths(.modified) == Set(old.keys.filter { new[$0] != nil && new[$0] != old[$0] }))
        #expect(paths(.renamed).isEmpty && diff.files.count == paths(.removed).count + paths(.added).count
            + paths(.modified).count)
        let edited = try #require(diff.files.first { $0.path == "a/b/c/2" })
        #expect(edited.kind == .modified && edited.base?.size == 14 && edited.target?.size == 13)
    }

    @Test(arguments: CatalogKind.available)
    func metadataDescriptionAndAliasesAsTheCatalogHasThem(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let old = try version(fixture, ["f": "1"], metadata: [
            "acc": .double(0.9), "train": .object(["lr": .double(0.01), "epochs": .int(3)]), "dropped": .bool(true),
        ], description: "first", aliases: ["candidate"])
        let new = try version(fixture, ["f": "2"], metadata: [
            "acc": .double(0.95), "train": .object(["lr": .double(0.01), "epochs": .int(5), "seed": .int(7)]),
        ], description: "second", aliases: ["best"])
        let diff = try fixture.store.diff(from: fixture.store.version(id: old.id), to: fixture.store.version(id: new.id))
        #expect(diff.metadata == [
            MetadataDifference(key: "acc", kind: .changed, base: .double(0.9), target: .double(0.95)),
            MetadataDifference(key: "dropped", kind: .removed, base: .bool(true), target: nil),
            MetadataDifference(key: "train.epochs", kind: .changed, base: .int(3), target: .int(5)),
            MetadataDifference(key: "train.seed", kind: .added, base: nil, target: .int(7)),
        ])
        #expect(diff.descriptionChanged)
        #expect(diff.aliasesAdded == ["latest", "best"] && diff.aliasesRemoved == ["candidate"])
        #expect(try fixture.store.diff(from: new, to: new).isEmpty)
    }

    /// Reference entries take part as stored files do: compared by checksum and source, and a path that
    /// changes kind is modified.
    @Test(arguments: CatalogKind.available)
    func referenceEntriesAreComparedBySourceAndChecksum(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        func references(_ name: String, _ files: [String: String]) throws -> [ManifestEntry] {
            let directory = try fixture.tree(name, files.mapValues { Array($0.utf8) })
            return try LocalFileSource().list("file://\(directory.path)", checksum: true, maxObjects: 10)
        }
        func log(stored: [String: String], referenced: [ManifestEntry]) throws -> ArtifactVersion {
            var draft = ArtifactDraft(name: "refs")
            for (path, text) in stored { try draft.addData(Data(text.utf8), as: path) }
            try draft.addReferences(referenced)
            return try fixture.store.log(draft, project: "proj").version
        }
        let first = try references("first", ["same.csv": "1,2\n", "edited.csv": "a\n", "dropped.csv": "x\n", "kind.csv": "r\n"])
        let second = try references("second", ["same.csv": "1,2\n"])
        let third = try references("third", ["edited.csv": "b\n", "new.csv": "n\n", "swap.bin": "s\n"])
        let old = try log(stored: ["plain.txt": "p", "swap.bin": "stored"], referenced: first)
        // same.csv: equal checksum from another source; kind.csv: referenced, then stored; swap.bin the other way.
        let new = try log(stored: ["plain.txt": "p", "kind.csv": "r\n"], referenced: second + third)
        let diff = try fixture.store.diff(from: old, to: new)
        #expect(diff.files.map { "\($0.kind.rawValue) \($0.path)" } == [
            "removed dropped.csv", "modified edited.csv", "modified kind.csv", "added new.csv", "modified same.csv",
            "modified swap.bin",
        ])
        let kindChange = try #require(diff.files.first { $0.path == "kind.csv" })
        #expect(kindChange.base?.reference != nil && kindChange.target?.reference == nil)
        let swap = try #require(diff.files.first { $0.path == "swap.bin" })
        #expect(swap.base?.isStored == true && swap.target?.reference?.uri.hasSuffix("third/swap.bin") == true)
        let same = try #require(diff.files.first { $0.path == "same.csv" })
        #expect(same.base?.digest == same.target?.digest)
        guard case .reference(let sources)? = try fixture.store.patch(for: same, in: diff) else {
            Issue.record("a reference's patch names its sources")
            return
        }
        #expect(sources.contains("first/same.csv") && sources.contains("second/same.csv"))
        // A version compared with itself, references and all, has no differences.
        #expect(try fixture.store.diff(from: new, to: new).isEmpty)
        // The same comparison from manifests alone (a client of a team server) agrees.
        let fromManifests = FileDifferences.between(
            base: try fixture.store.files(of: old), target: try fixture.store.files(of: new))
        #expect(VersionDiff(base: old, target: new, differences: fromManifests).files == diff.files)
    }
}
