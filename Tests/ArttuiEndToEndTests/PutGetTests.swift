import Foundation
import ProcessTestSupport
import Testing

/// `put` then `get`: what goes in comes out, byte for byte, wherever the user asks for it.
@Suite("put and get", .childProcesses)
struct PutGetTests {
    @Test("a directory with nested folders round-trips byte for byte")
    func directoryRoundTrip() async throws {
        let sandbox = try Sandbox()
        let tree = sampleTree(seed: 1)
        let source = try sandbox.writeTree("data", tree)

        let put = try await sandbox.ok(["put", source.path, "-n", "proj/ds"])
        #expect(put.stdout.hasPrefix("created proj/ds:v0 (\(tree.count) files"), "\(put)")

        let restored = sandbox.path("out")
        let get = try await sandbox.ok(["get", "proj/ds", "--root", restored.path])
        #expect(get.stdout.contains("proj/ds:v0"), "\(get)")
        #expect(try filesUnder(restored) == tree)
    }

    @Test("get without --root writes ./artifacts/NAME:vN under the working directory")
    func defaultRoot() async throws {
        let sandbox = try Sandbox()
        let first = try sandbox.writeTree("v0", ["x.txt": Data("zero".utf8)])
        let second = try sandbox.writeTree("v1", ["x.txt": Data("one".utf8)])
        try await sandbox.ok(["put", first.path, "-n", "proj/ds"])
        try await sandbox.ok(["put", second.path, "-n", "proj/ds"])

        try await sandbox.ok(["get", "proj/ds"])
        try await sandbox.ok(["get", "proj/ds:v0"])
        #expect(try filesUnder(sandbox.work.appendingPathComponent("artifacts/ds:v1")) == ["x.txt": Data("one".utf8)])
        #expect(try filesUnder(sandbox.work.appendingPathComponent("artifacts/ds:v0")) == ["x.txt": Data("zero".utf8)])
        // Nothing lands anywhere else in the working directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.work.path) == ["artifacts"])
    }

    @Test("a second get into the same root leaves identical files and says they were already there")
    func getAgainIsUnchanged() async throws {
        let sandbox = try Sandbox()
        let tree = sampleTree(seed: 2)
        let source = try sandbox.writeTree("data", tree)
        try await sandbox.ok(["put", source.path, "-n", "proj/ds"])
        let restored = sandbox.path("out")
        try await sandbox.ok(["get", "proj/ds", "--root", restored.path])
        let before = try DirectorySnapshot(restored)

        let again = try await sandbox.ok(["get", "proj/ds", "--root", restored.path, "--json"]).jsonObject()
        #expect(again.int("unchanged") == tree.count, "\(again)")
        #expect(again.int("fromStore") == 0 && again.int("fromCache") == 0, "\(again)")
        #expect(try DirectorySnapshot(restored) == before)

        let text = try await sandbox.ok(["get", "proj/ds", "--root", restored.path])
        #expect(text.stdout.contains("\(tree.count) already there"), "\(text)")
    }

    @Test("get overwrites a file in the root whose content was changed by hand")
    func getRepairsChangedFile() async throws {
        let sandbox = try Sandbox()
        let tree = sampleTree(seed: 3)
        let source = try sandbox.writeTree("data", tree)
        try await sandbox.ok(["put", source.path, "-n", "proj/ds"])
        let restored = sandbox.path("out")
        try await sandbox.ok(["get", "proj/ds", "--root", restored.path])
        // Same size, different bytes: a size-only check would miss it.
        var damaged = tree["a/one.bin"]!
        damaged[10] ^= 0xFF
        try damaged.write(to: restored.appendingPathComponent("a/one.bin"))

        try await sandbox.ok(["get", "proj/ds", "--root", restored.path])
        #expect(try filesUnder(restored) == tree)
    }

    @Test("get --link hardlink and symlink give read-only files with the right content", arguments: ["hardlink", "symlink"])
    func linkModes(mode: String) async throws {
        let sandbox = try Sandbox()
        let tree = sampleTree(seed: 4)
        let source = try sandbox.writeTree("data", tree)
        try await sandbox.ok(["put", source.path, "-n", "proj/ds"])
        let restored = sandbox.path("out-\(mode)")
        try await sandbox.ok(["get", "proj/ds", "--root", restored.path, "--link", mode])

        for (path, data) in tree {
            let url = restored.appendingPathComponent(path)
            #expect(try Data(contentsOf: url) == data, "\(path)")
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            if mode == "symlink" {
                #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink, "\(path) is not a symlink")
            } else {
                #expect(attributes[.type] as? FileAttributeType == .typeRegular, "\(path)")
                #expect((attributes[.referenceCount] as? NSNumber)?.intValue ?? 0 >= 2, "\(path) is not hard-linked")
            }
            // Following the link: the file itself must not be writable by anyone.
            let target = try FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path)
            let permissions = (target[.posixPermissions] as? NSNumber)?.intValue ?? 0o777
            #expect(permissions & 0o222 == 0, "\(path) is writable: \(String(permissions, radix: 8))")
        }
    }

    /// Linux allows any byte but '/' and NUL in a name. Such files are stored and restored as they are;
    /// the text tables of show, ls and diff used to print the line break itself, splitting the row.
    @Test("files named with a line break or a tab round-trip, and tables show the names escaped on one line")
    func controlCharactersInNames() async throws {
        let sandbox = try Sandbox()
        let tree = ["new\nline.txt": Data("one".utf8), "tab\there.txt": Data("two".utf8), "plain.txt": Data("3".utf8)]
        let source = try sandbox.writeTree("data", tree)
        try await sandbox.ok(["put", source.path, "-n", "proj/odd"])
        let restored = sandbox.path("out")
        try await sandbox.ok(["get", "proj/odd", "--root", restored.path])
        #expect(try filesUnder(restored) == tree)

        let shown = try await sandbox.ok(["show", "proj/odd", "--files"]).stdout
        let table = shown.split(separator: "\n").drop { !$0.contains("PATH") }
        #expect(table.count == 4, "a header and one line per file: \(shown)")
        #expect(table.contains { $0.hasSuffix(#"new\nline.txt"#) } && table.contains { $0.hasSuffix(#"tab\there.txt"#) }, "\(shown)")
        try sandbox.write("data/plain.txt", Data("4".utf8))
        try await sandbox.ok(["put", source.path, "-n", "proj/odd"])
        try FileManager.default.removeItem(at: source.appendingPathComponent("new\nline.txt"))
        try await sandbox.ok(["put", source.path, "-n", "proj/odd"])
        let diff = try await sandbox.ok(["diff", "proj/odd:v2", "v0"]).stdout
        #expect(diff.contains(#"  D  new\nline.txt"#) && !diff.contains("new\nline"), "\(diff)")
    }

    /// A description holding a backslash and a t printed as the one holding a tab did: a backslash in
    /// a table cell is escaped too, so the two read differently.
    @Test("a backslash in a table cell is escaped, so it cannot pass for an escaped tab")
    func backslashesInTablesAreEscaped() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("data", ["a.txt": Data("one".utf8)])
        try await sandbox.ok(["put", source.path, "-n", "proj/notes", "-d", "two\tcolumns"])
        try sandbox.write("data/a.txt", Data("two".utf8))
        try await sandbox.ok(["put", source.path, "-n", "proj/notes", "-d", #"one\tcolumn"#])
        let listed = try await sandbox.ok(["ls", "proj/notes"]).stdout
        let rows = listed.split(separator: "\n")
        #expect(rows.count == 3, "a header and one line per version: \(listed)")
        #expect(rows.contains { $0.hasPrefix("v0") && $0.hasSuffix(#"two\tcolumns"#) }, "\(listed)")
        #expect(rows.contains { $0.hasPrefix("v1") && $0.hasSuffix(#"one\\tcolumn"#) }, "\(listed)")
    }

    @Test("put of a single file stores it under its own name")
    func singleFile() async throws {
        let sandbox = try Sandbox()
        let data = SeededBytes.data(seed: 5, count: 12_345)
        let file = try sandbox.write("model.bin", data)
        try await sandbox.ok(["put", file.path, "-n", "proj/model", "-t", "model"])

        let shown = try await sandbox.show("proj/model", files: true)
        #expect(shown.string("type") == "model")
        let files = try #require(shown["files"] as? [[String: Any]])
        #expect(files.map { $0.string("path") } == ["model.bin"])
        #expect(files.first?.int("size") == data.count)

        let restored = sandbox.path("out")
        try await sandbox.ok(["get", "proj/model", "--root", restored.path])
        #expect(try filesUnder(restored) == ["model.bin": data])
    }

    @Test("put of several paths: a directory's contents go in relative to it, files under their names")
    func severalPaths() async throws {
        let sandbox = try Sandbox()
        let tree = ["sub/inner.txt": Data("inner".utf8), "top.txt": Data("top".utf8)]
        let directory = try sandbox.writeTree("dir", tree)
        let loose = try sandbox.write("loose.bin", SeededBytes.data(seed: 6, count: 3000))
        let other = try sandbox.writeTree("other", ["deep/x.txt": Data("x".utf8)])
        try await sandbox.ok(["put", directory.path, loose.path, other.path, "-n", "proj/mixed"])

        let restored = sandbox.path("out")
        try await sandbox.ok(["get", "proj/mixed", "--root", restored.path])
        var expected = tree
        expected["loose.bin"] = try Data(contentsOf: loose)
        expected["deep/x.txt"] = Data("x".utf8)
        #expect(try filesUnder(restored) == expected)
        #expect(try await sandbox.show("proj/mixed").int("fileCount") == 4)
    }

    @Test("put with relative paths from the working directory")
    func relativePaths() async throws {
        let sandbox = try Sandbox()
        let tree = sampleTree(seed: 7)
        try sandbox.writeTree("work/data", tree)
        try await sandbox.ok(["put", "data", "-n", "proj/rel"])
        try await sandbox.ok(["get", "proj/rel", "--root", "restored"])
        #expect(try filesUnder(sandbox.work.appendingPathComponent("restored")) == tree)
    }

    @Test("--metadata @FILE and -d are stored on the version")
    func metadataFromFile() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("data", ["a.txt": Data("a".utf8)])
        let metadataFile = try sandbox.write("meta.json", Data(#"{"epochs": 3, "lr": 0.5, "tags": ["x"]}"#.utf8))
        try await sandbox.ok(["put", source.path, "-n", "proj/ds", "-d", "first cut", "--metadata", "@" + metadataFile.path])
        let shown = try await sandbox.show("proj/ds")
        #expect(shown.string("description") == "first cut")
        let metadata = shown.object("metadata")
        #expect(metadata.int("epochs") == 3)
        #expect((metadata["lr"] as? NSNumber)?.doubleValue == 0.5)
        #expect(metadata["tags"] as? [String] == ["x"])
    }

    @Test("the store and cache come from ARTTUI_STORE and ARTTUI_CACHE_DIR when no flag is given")
    func environmentLocations() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("data", ["a.txt": Data("env".utf8)])
        let environment = ["ARTTUI_STORE": sandbox.store.path, "ARTTUI_CACHE_DIR": sandbox.cache.path]
        let put = try await sandbox.run(["put", source.path, "-n", "proj/env"], locations: false, environment: environment)
        #expect(put.status == 0, "\(put)")
        // The flag-driven view sees the same store.
        #expect(try await sandbox.versionNames("proj/env") == ["v0"])
        let size = try await sandbox.run(["cache", "size", "--json"], locations: false, environment: environment)
        #expect(try size.jsonObject().string("path").map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            == sandbox.cache.standardizedFileURL.path, "\(size)")
        // Nothing went to the XDG defaults under HOME.
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("home/.local/share/arttui").path))
    }
}
