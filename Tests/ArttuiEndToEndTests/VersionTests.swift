import Foundation
import ProcessTestSupport
import Testing

/// Version numbering, unchanged content, and the JSON shapes of `ls` and `show`.
@Suite("versions, ls and show", .childProcesses)
struct VersionTests {
    @Test("versions are numbered v0, v1, v2 and latest moves to the newest")
    func numberingAndLatest() async throws {
        let sandbox = try Sandbox()
        for index in 0..<3 {
            let source = try sandbox.writeTree("v\(index)", ["f.txt": Data("content \(index)".utf8)])
            let put = try await sandbox.put([source.path], "proj/ds")
            #expect(put.string("version") == "v\(index)")
            #expect(put.int("index") == index)
            #expect(put["created"] as? Bool == true)
            #expect(put.strings("aliases").contains("latest"))
        }
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v1", "v2"])
        #expect(try await sandbox.show("proj/ds").string("version") == "v2")
        #expect(try await sandbox.show("proj/ds:latest").string("version") == "v2")
        #expect(!(try await sandbox.show("proj/ds:v1").strings("aliases").contains("latest")))
        #expect(!(try await sandbox.show("proj/ds:v0").strings("aliases").contains("latest")))
        let restored = sandbox.path("out")
        try await sandbox.ok(["get", "proj/ds:latest", "--root", restored.path])
        #expect(try filesUnder(restored) == ["f.txt": Data("content 2".utf8)])
    }

    @Test("put of unchanged content says no changes, exits 0, makes no version, and applies the aliases")
    func unchangedContent() async throws {
        let sandbox = try Sandbox()
        let tree = sampleTree(seed: 10)
        let source = try sandbox.writeTree("data", tree)
        try await sandbox.ok(["put", source.path, "-n", "proj/ds"])
        let changed = try sandbox.writeTree("data2", ["other.txt": Data("other".utf8)])
        try await sandbox.ok(["put", changed.path, "-n", "proj/ds"])
        // Same content as the newest (v1): nothing new.
        let again = try await sandbox.ok(["put", changed.path, "-n", "proj/ds", "-a", "best", "-a", "prod"])
        #expect(again.stdout.hasPrefix("no changes: proj/ds:v1 already holds this content"), "\(again)")
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v1"])
        let shown = try await sandbox.show("proj/ds:v1")
        #expect(Set(shown.strings("aliases")) == ["latest", "best", "prod"])

        let json = try await sandbox.put([changed.path], "proj/ds")
        #expect(json["created"] as? Bool == false)
        #expect(json.string("version") == "v1")
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v1"])
    }

    @Test("a version's digest depends on its files only, not on metadata, description or type")
    func digestIndependentOfMetadata() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("data", sampleTree(seed: 11))
        let first = try await sandbox.put([source.path], "proj/one", ["-d", "one", "--metadata", #"{"a": 1}"#])
        let second = try await sandbox.put([source.path], "other/two", ["-t", "model", "-d", "two", "--metadata", #"{"b": 2}"#])
        let digest = try #require(first.string("digest"))
        #expect(digest.count >= 64, "a SHA-256 digest in hex is 64 characters: \(digest)")
        #expect(second.string("digest") == digest)
        // Changing the content changes the digest.
        try sandbox.write("data/README.txt", Data("changed".utf8))
        let third = try await sandbox.put([source.path], "proj/one")
        #expect(third.string("digest") != digest)
    }

    @Test("show --json carries every documented field with the right values")
    func showFields() async throws {
        let sandbox = try Sandbox()
        let tree = sampleTree(seed: 12)
        let source = try sandbox.writeTree("data", tree)
        for index in 0..<4 {
            try sandbox.write("data/counter.txt", Data("\(index)".utf8))
            try await sandbox.ok(["put", source.path, "-n", "proj/ds", "-t", "dataset", "-d", "version \(index)",
                                  "--metadata", #"{"step": \#(index), "name": "n"}"#])
        }
        let shown = try await sandbox.show("proj/ds:v3", files: true)
        for key in ["project", "name", "type", "version", "index", "digest", "aliases", "size", "fileCount",
                    "addedBytes", "description", "metadata", "createdAt", "loggedBy", "files"] {
            #expect(shown.keys.contains(key), "show --json lacks \(key): \(shown)")
        }
        #expect(shown.string("project") == "proj")
        #expect(shown.string("name") == "ds")
        #expect(shown.string("type") == "dataset")
        #expect(shown.string("version") == "v3")
        #expect(shown.int("index") == 3)
        #expect(shown.strings("aliases") == ["latest"])
        let expectedSize = tree.values.reduce(0) { $0 + $1.count } + 1
        #expect(shown.int("size") == expectedSize)
        #expect(shown.int("fileCount") == tree.count + 1)
        #expect(shown.string("description") == "version 3")
        #expect(shown.object("metadata").int("step") == 3)
        #expect(shown.object("metadata").string("name") == "n")
        #expect(shown["loggedBy"] is NSNull || shown["loggedBy"] is String)
        let createdAt = try #require(shown.string("createdAt"))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = try #require(formatter.date(from: createdAt), "createdAt is not ISO 8601: \(createdAt)")
        #expect(abs(date.timeIntervalSinceNow) < 300)
        #expect((shown.int("addedBytes") ?? -1) >= 0)

        let files = try #require(shown["files"] as? [[String: Any]])
        #expect(files.count == tree.count + 1)
        var listed: [String: Int] = [:]
        var digests = Set<String>()
        for file in files {
            #expect(Set(file.keys).isSuperset(of: ["path", "digest", "size"]), "\(file)")
            listed[file.string("path") ?? "?"] = file.int("size")
            digests.insert(file.string("digest") ?? "")
        }
        var expected = tree.mapValues(\.count)
        expected["counter.txt"] = 1
        #expect(listed == expected)
        #expect(!digests.contains(""))
        // Without --files there is no files array.
        #expect(try await sandbox.show("proj/ds:v3")["files"] == nil)
        // Text output names the version and digest.
        let text = try await sandbox.ok(["show", "proj/ds:v3"])
        #expect(text.stdout.contains("proj/ds:v3") && text.stdout.contains(shown.string("digest")!), "\(text)")
    }

    @Test("ls --json lists projects, artifacts of a project, and versions of an artifact")
    func lsShapes() async throws {
        let sandbox = try Sandbox()
        let a = try sandbox.writeTree("a", ["x.txt": Data("xxxx".utf8)])
        let b = try sandbox.writeTree("b", ["y.txt": Data("yyyyyyyy".utf8)])
        try await sandbox.ok(["put", a.path, "-n", "alpha/data"])
        try await sandbox.ok(["put", b.path, "-n", "alpha/data"])
        try await sandbox.ok(["put", a.path, "-n", "alpha/model", "-t", "model"])
        try await sandbox.ok(["put", b.path, "-n", "beta/other"])

        let projects = try await sandbox.ok(["ls", "--json"]).jsonArray()
        #expect(projects.compactMap { $0.string("name") }.sorted() == ["alpha", "beta"])
        let alpha = try #require(projects.first { $0.string("name") == "alpha" })
        #expect(alpha.int("artifacts") == 2)
        #expect(alpha.int("versions") == 3)

        let artifacts = try await sandbox.ok(["ls", "alpha", "--json"]).jsonArray()
        #expect(artifacts.compactMap { $0.string("name") }.sorted() == ["data", "model"])
        let data = try #require(artifacts.first { $0.string("name") == "data" })
        #expect(data.string("project") == "alpha")
        #expect(data.string("type") == "dataset")
        #expect(data.int("versions") == 2)
        #expect(data.string("latest") == "v1")
        #expect(data.int("size") == 8)
        let model = try #require(artifacts.first { $0.string("name") == "model" })
        #expect(model.string("type") == "model")

        let versions = try await sandbox.ok(["ls", "alpha/data", "--json"]).jsonArray()
            .sorted { ($0.int("index") ?? -1) < ($1.int("index") ?? -1) }
        #expect(versions.compactMap { $0.string("version") } == ["v0", "v1"])
        #expect(versions.map { $0.int("index") } == [0, 1])
        #expect(versions.map { $0.int("size") } == [4, 8])
        #expect(versions.allSatisfy { $0.string("project") == "alpha" && $0.string("name") == "data" })

        // An empty store lists no projects.
        let empty = try Sandbox()
        #expect(try await empty.ok(["ls", "--json"]).jsonArray().isEmpty)
    }

    /// The type is checked before any data is written, so the refused put leaves the store as it was.
    @Test("a put to an existing artifact with another type is refused")
    func typeMismatch() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("a", ["x.txt": Data("x".utf8)])
        try await sandbox.ok(["put", source.path, "-n", "proj/ds"])
        try sandbox.write("a/x.txt", Data("y".utf8))
        let before = try DirectorySnapshot(sandbox.store)
        try await sandbox.fails(["put", source.path, "-n", "proj/ds", "-t", "model"])
        try expectUnchanged(sandbox.store, since: before)
        #expect(try await sandbox.versionNames("proj/ds") == ["v0"])
    }

    @Test("a put without -t adds to an existing artifact of any type; a different -t is still refused")
    func typeDefaultsToTheArtifacts() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("ckpt", ["weights.bin": Data("epoch 1".utf8)])
        try await sandbox.ok(["put", source.path, "-n", "proj/model", "-t", "model"])
        try sandbox.write("ckpt/weights.bin", Data("epoch 2".utf8))
        let second = try await sandbox.put([source.path], "proj/model")
        #expect(second.string("version") == "v1" && second.string("type") == "model", "\(second)")
        try sandbox.write("ckpt/weights.bin", Data("epoch 3".utf8))
        try await sandbox.fails(["put", source.path, "-n", "proj/model", "-t", "dataset"])
        // A new artifact still defaults to dataset.
        #expect(try await sandbox.put([source.path], "proj/data").string("type") == "dataset")
    }

    @Test("an unchanged put given another description or metadata says they were not applied")
    func unchangedPutReportsDroppedDescriptionAndMetadata() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("data", ["f.txt": Data("same".utf8)])
        try await sandbox.ok(["put", source.path, "-n", "proj/ds", "-d", "first", "--metadata", #"{"a": 1}"#])
        // The same description and metadata again: nothing was dropped, nothing to say.
        try await sandbox.ok(["put", source.path, "-n", "proj/ds", "-d", "first", "--metadata", #"{"a": 1}"#])

        let again = try await sandbox.run(["put", source.path, "-n", "proj/ds", "-d", "second", "--metadata", #"{"a": 2}"#])
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.hasPrefix("no changes: proj/ds:v0"), "\(again)")
        #expect(again.stderr.hasPrefix("arttui: warning: the description and metadata given were not applied"), "\(again)")
        #expect(again.stderr.contains("arttui edit proj/ds:v0"), "\(again)")
        #expect(again.stderr.filter { $0 == "\n" }.count == 1, "\(again)")
        let shown = try await sandbox.show("proj/ds")
        #expect(shown.string("description") == "first" && shown.object("metadata")["a"] as? Int == 1, "\(shown)")

        let json = try await sandbox.run(["put", source.path, "-n", "proj/ds", "-d", "third", "--json"])
        #expect(try json.jsonObject()["created"] as? Bool == false)
        #expect(json.stderr.hasPrefix("arttui: warning: the description given was not applied"), "\(json)")
    }

    /// Two runs of a sweep writing identical checkpoints: the second made no version and was not
    /// recorded anywhere, so its lineage and sweep best showed nothing for it, silently.
    @Test("an unchanged put with --run says the run is not recorded as the version's producer")
    func unchangedPutReportsTheRunNotRecorded() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("ckpt", ["model.bin": Data("same weights".utf8)])
        let first = try await sandbox.ok(["run", "start", "-p", "proj"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try await sandbox.ok(["put", source.path, "-n", "proj/model", "--run", first])
        // The producer putting its own content again has nothing to be told.
        try await sandbox.ok(["put", source.path, "-n", "proj/model", "--run", first])
        let second = try await sandbox.ok(["run", "start", "-p", "proj"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let again = try await sandbox.run(["put", source.path, "-n", "proj/model", "--run", second])
        #expect(again.status == 0 && again.stdout.hasPrefix("no changes: proj/model:v0"), "\(again)")
        #expect(again.stderr == "arttui: warning: no new version was made, so run \(second) is not recorded as logging "
            + "proj/model:v0 (its producer stays run \(first))\n", "\(again)")
        #expect(try await sandbox.show("proj/model").string("loggedBy") == first)
    }
}
