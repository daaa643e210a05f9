import Foundation
import ProcessTestSupport
import Testing

/// Every refusal: one line on stderr starting `arttui: error:`, a non-zero exit, and the store's
/// files byte-for-byte as they were (every file under the store directory, nothing excluded).
@Suite("errors", .childProcesses)
struct ErrorTests {
    /// A store with `proj/ds` v0 and v1 (v0 aliased `best`), plus a directory `d` to put from.
    private func populated() async throws -> Sandbox {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("d", sampleTree(seed: 60))
        try await sandbox.ok(["put", source.path, "-n", "proj/ds", "-a", "best"])
        try sandbox.write("d/extra.txt", Data("extra".utf8))
        try await sandbox.ok(["put", source.path, "-n", "proj/ds"])
        try sandbox.write("d/extra.txt", Data("changed again, so a put would make v2".utf8))
        return sandbox
    }

    /// Runs a command that must fail, and checks the store is untouched and names in `mentions` appear in the message.
    private func refusedWithoutChange(_ sandbox: Sandbox, _ arguments: [String], mentions: [String] = [],
                                      sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let before = try DirectorySnapshot(sandbox.store)
        let result = try await sandbox.fails(arguments, sourceLocation: sourceLocation)
        for mention in mentions {
            #expect(result.stderr.contains(mention), "the error should mention \(mention): \(result)", sourceLocation: sourceLocation)
        }
        let differences = try DirectorySnapshot(sandbox.store).differences(from: before)
        #expect(differences == [], "a refused command changed the store: \(differences) \(result)", sourceLocation: sourceLocation)
    }

    /// `ARTTUI_ERROR_FORMAT=json` turns the one line into `{"error":…,"kind":…}` with the same message and
    /// exit status, so a program (the Python package) acts on the kind without matching wording.
    @Test("errors as JSON for programs")
    func errorsAsJSON() async throws {
        let sandbox = try await populated()
        let cases: [([String], String, Int32)] = [
            (["show", "proj/ds:v999"], "notFound", 1),
            (["ls", "nope"], "notFound", 1),
            (["alias", "add", "proj/ds:v0", "x:y"], "invalid", 1),
            (["rm", "proj/ds:v0"], "conflict", 1),
            (["ls", "--bogus"], "usage", 64),
        ]
        for (arguments, kind, status) in cases {
            let human = try await sandbox.fails(arguments)
            let before = try DirectorySnapshot(sandbox.store)
            let result = try await sandbox.run(arguments, environment: ["ARTTUI_ERROR_FORMAT": "json"])
            #expect(result.status == status && human.status == status, "\(arguments): \(result)")
            #expect(try DirectorySnapshot(sandbox.store).differences(from: before) == [])
            let lines = result.stderr.split(separator: "\n")
            try #require(lines.count == 1, "\(arguments): \(result)")
            let report = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String]
            #expect(report == ["error": String(human.stderr.dropFirst("arttui: error: ".count).dropLast()), "kind": kind],
                    "\(arguments): \(result)")
        }
    }

    @Test("unknown project, artifact, version and alias")
    func unknown() async throws {
        let sandbox = try await populated()
        let cases: [([String], String)] = [
            (["show", "nope/ds"], "nope"),
            (["get", "nope/ds"], "nope"),
            (["ls", "nope"], "nope"),
            (["show", "proj/nope"], "nope"),
            (["ls", "proj/nope"], "nope"),
            (["get", "proj/nope:v0"], "nope"),
            (["show", "proj/ds:v999"], "v999"),
            (["get", "proj/ds:v999"], "v999"),
            (["show", "proj/ds:nope"], "nope"),
            (["get", "proj/ds:nope"], "nope"),
            (["alias", "add", "proj/ds:v999", "x"], "v999"),
            (["alias", "rm", "proj/ds", "nope"], "nope"),
            (["edit", "proj/ds:v999", "-d", "x"], "v999"),
            (["rm", "proj/ds:v999"], "v999"),
            (["rm", "proj/ds:nope"], "nope"),
            (["prune", "nope"], "nope"),
            (["prune", "proj/nope"], "nope"),
        ]
        for (arguments, mention) in cases {
            try await refusedWithoutChange(sandbox, arguments, mentions: [mention])
        }
        // get wrote nothing into the working directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.work.path) == [])
    }

    @Test("bad artifact and project names are refused by name")
    func badNames() async throws {
        let sandbox = try await populated()
        let cases: [(String, String?)] = [
            ("proj/a b", "a b"),
            ("proj/" + String(repeating: "x", count: 129), "128"),
            (String(repeating: "p", count: 129) + "/ds", "128"),
            ("proj/a:b", nil),
            ("proj/", nil),
            ("ds", nil),
            ("pr#oj/ds", "pr#oj"),
            ("pr%oj/ds", "pr%oj"),
            ("proj/na*me", "na*me"),
        ]
        for (name, mention) in cases {
            try await refusedWithoutChange(sandbox, ["put", sandbox.path("d").path, "-n", name], mentions: mention.map { [$0] } ?? [])
        }
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v1"])
    }

    @Test("the longest allowed name (128 characters) is accepted")
    func longestName() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("d", ["a.txt": Data("a".utf8)])
        let name = String(repeating: "n", count: 128)
        try await sandbox.ok(["put", source.path, "-n", "proj/" + name])
        #expect(try await sandbox.versionNames("proj/" + name) == ["v0"])
    }

    @Test("bad aliases are refused, on alias add and on put")
    func badAlias() async throws {
        let sandbox = try await populated()
        for alias in ["a/b", "a:b", "", String(repeating: "a", count: 129), "latest", "v7"] {
            try await refusedWithoutChange(sandbox, ["alias", "add", "proj/ds:v1", alias])
            try await refusedWithoutChange(sandbox, ["put", sandbox.path("d").path, "-n", "proj/ds", "-a", alias])
        }
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v1"])
    }

    @Test("malformed metadata on put stores nothing")
    func badMetadata() async throws {
        let sandbox = try await populated()
        for metadata in ["{not json", "[1]", "3", #"{"x": Infinity}"#, "@/nonexistent/meta.json"] {
            try await refusedWithoutChange(sandbox, ["put", sandbox.path("d").path, "-n", "proj/ds", "--metadata", metadata])
        }
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v1"])
    }

    @Test("a --store directory that is not empty and not a store is refused and left alone")
    func notAStore() async throws {
        let sandbox = try Sandbox()
        let directory = sandbox.path("precious")
        try sandbox.writeTree("precious", ["thesis.tex": Data("my thesis".utf8), "sub/data.csv": Data("1,2".utf8)])
        let before = try DirectorySnapshot(directory)
        let source = try sandbox.writeTree("d", ["a.txt": Data("a".utf8)])
        for arguments in [["ls"], ["put", source.path, "-n", "proj/ds"], ["show", "proj/ds"], ["prune", "proj"]] {
            let result = try await sandbox.fails(arguments + ["--store", directory.path, "--cache-dir", sandbox.cache.path],
                                                 locations: false)
            #expect(result.stderr.contains(directory.path), "\(result)")
        }
        // Also through the environment.
        try await sandbox.fails(["ls"], locations: false, environment: ["ARTTUI_STORE": directory.path])
        try expectUnchanged(directory, since: before)
    }

    @Test("a --store path that is a regular file is refused and left alone")
    func storeIsAFile() async throws {
        let sandbox = try Sandbox()
        let file = try sandbox.write("file", Data("not a directory".utf8))
        try await sandbox.fails(["ls", "--store", file.path, "--cache-dir", sandbox.cache.path], locations: false)
        #expect(try Data(contentsOf: file) == Data("not a directory".utf8))
    }

    @Test("--store or --cache-dir given twice is refused")
    func storeTwice() async throws {
        let sandbox = try await populated()
        let other = sandbox.path("other-store")
        try await refusedWithoutChange(sandbox, ["put", sandbox.path("d").path, "-n", "proj/ds", "--store", other.path])
        try await refusedWithoutChange(sandbox, ["ls", "--cache-dir", sandbox.path("other-cache").path])
        #expect(!FileManager.default.fileExists(atPath: other.path))
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("other-cache").path))
    }

    @Test("a fifo in the put directory is refused by name")
    func fifo() async throws {
        let sandbox = try await populated()
        let fifo = sandbox.path("d/a/pipe")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        try await refusedWithoutChange(sandbox, ["put", sandbox.path("d").path, "-n", "proj/ds"], mentions: ["pipe"])
        try await refusedWithoutChange(sandbox, ["put", fifo.path, "-n", "proj/other"], mentions: ["pipe"])
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v1"])
    }

    @Test("a symlink leaving the put directory is refused by name", arguments: ["absolute", "relative"])
    func symlinkOutside(kind: String) async throws {
        let sandbox = try await populated()
        try sandbox.write("secret.txt", Data("secret".utf8))
        let link = sandbox.path("d/a/escape")
        let target = kind == "absolute" ? sandbox.path("secret.txt").path : "../../secret.txt"
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target)
        try await refusedWithoutChange(sandbox, ["put", sandbox.path("d").path, "-n", "proj/ds"], mentions: ["escape"])
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v1"])
    }

    @Test("a path that does not exist is refused")
    func missingPath() async throws {
        let sandbox = try await populated()
        try await refusedWithoutChange(sandbox, ["put", sandbox.path("d").path, sandbox.path("missing").path, "-n", "proj/ds"],
                                       mentions: ["missing"])
    }

    @Test("get does not follow a symlinked directory in the root out of it")
    func getThroughSymlinkedDirectory() async throws {
        let sandbox = try await populated()
        let outside = sandbox.path("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let root = sandbox.path("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        // The version has files under a/; make root/a a link to a directory outside the root.
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("a").path,
                                                   withDestinationPath: outside.path)
        let before = try DirectorySnapshot(sandbox.store)
        let result = try await sandbox.run(["get", "proj/ds:v0", "--root", root.path])
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == [],
                "get wrote through a symlink outside its root: \(result)")
        if result.status != 0 {
            #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("arttui: error: "), "\(result)")
        }
        try expectUnchanged(sandbox.store, since: before)
    }

    @Test("unknown options and bad --link values are one-line errors")
    func usageErrors() async throws {
        let sandbox = try await populated()
        let cases: [[String]] = [
            ["get", "proj/ds", "--link", "weird"],
            ["ls", "--bogus"],
            ["put", "-n", "proj/ds"],
            ["frobnicate"],
            ["cache", "cleanup"],
            ["prune", "proj", "--keep-last", "many"],
        ]
        for arguments in cases { try await refusedWithoutChange(sandbox, arguments) }
    }

    @Test("a put of folders without files says they hold no files, not to give directories")
    func putOfEmptyFolders() async throws {
        let sandbox = try await populated()
        let empty = sandbox.path("empty/a/b")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let before = try DirectorySnapshot(sandbox.store)
        let result = try await sandbox.fails(["put", sandbox.path("empty").path, "-n", "proj/nothing"])
        #expect(result.stderr == "arttui: error: nothing to store: \(sandbox.path("empty").path) holds no files "
            + "(empty folders are not stored)\n", "\(result)")
        try expectUnchanged(sandbox.store, since: before, "\(result)")
    }

    /// A path the user gave is named escaped, as a name is: a raw escape sequence in an error message
    /// would move the cursor or clear the screen instead of saying which path is at fault.
    @Test("paths in 'nothing to store' and file system errors are printed escaped")
    func pathsInErrorsAreEscaped() async throws {
        let sandbox = try await populated()
        let odd = sandbox.path("odd\u{1B}[2J\\n")
        try FileManager.default.createDirectory(at: odd.appendingPathComponent("a"), withIntermediateDirectories: true)
        let escaped = #"odd\u{1B}[2J\\n"#
        let before = try DirectorySnapshot(sandbox.store)
        let empty = try await sandbox.fails(["put", odd.path, "-n", "proj/nothing"])
        #expect(empty.stderr.contains("nothing to store: ") && empty.stderr.contains(escaped)
            && !empty.stderr.contains("\u{1B}"), "\(empty)")
        let missing = try await sandbox.fails(["put", sandbox.path("d").path, "-n", "proj/nothing",
                                               "--metadata", "@" + odd.appendingPathComponent("none.json").path])
        #expect(missing.stderr.contains("cannot ") && missing.stderr.contains(escaped + "/none.json")
            && !missing.stderr.contains("\u{1B}"), "\(missing)")
        try expectUnchanged(sandbox.store, since: before)
    }

    @Test("get --root at or under a regular file names the file in the way")
    func rootBlockedByAFile() async throws {
        let sandbox = try await populated()
        let file = try sandbox.write("plain.txt", Data("x".utf8))
        for root in [file.path, file.path + "/below"] {
            let result = try await sandbox.fails(["get", "proj/ds", "--root", root])
            #expect(result.stderr == "arttui: error: cannot create directory \(root): \(file.path) is a file, not a directory\n",
                    "\(result)")
        }
    }

    @Test("a mistyped subcommand is named as an unknown subcommand, not an unexpected argument")
    func unknownSubcommand() async throws {
        let sandbox = try await populated()
        for arguments in [["pul", "proj/ds"], ["frobnicate"], ["--store", sandbox.store.path, "lss"]] {
            let result = try await sandbox.fails(arguments)
            #expect(result.stderr == "arttui: error: unknown subcommand \"\(arguments.last == "proj/ds" ? "pul" : arguments.last!)\"; "
                + "arttui --help lists them\n", "\(result)")
            #expect(result.status == 64, "a usage error: \(result)")
        }
    }

    @Test("read-only commands leave every store file byte for byte unchanged")
    func readsChangeNothing() async throws {
        let sandbox = try await populated()
        let before = try DirectorySnapshot(sandbox.store)
        try await sandbox.ok(["ls"])
        try await sandbox.ok(["ls", "proj", "--json"])
        try await sandbox.ok(["ls", "proj/ds"])
        try await sandbox.ok(["show", "proj/ds:best", "--files"])
        try await sandbox.ok(["get", "proj/ds", "--root", sandbox.path("out").path])
        try await sandbox.ok(["prune", "proj", "--dry-run"])
        try await sandbox.ok(["cache", "size"])
        try expectUnchanged(sandbox.store, since: before)
    }
}
