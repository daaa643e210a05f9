import Foundation
import ProcessTestSupport
import Testing

/// The command-line additions the Python package drives: `put --entry`, `edit --alias/--remove-alias`,
/// `verify --root` and the full versions in `run show --json`.
@Suite("python support", .childProcesses)
struct PythonSupportTests {
    @Test("put --entry places a file under a path and a directory under a folder")
    func entries() async throws {
        let sandbox = try Sandbox()
        let file = try sandbox.write("src/notes.md", Data("notes".utf8))
        let tree = try sandbox.writeTree("tree", ["a.txt": Data("a".utf8), "sub/b.txt": Data("b".utf8)])
        _ = try await sandbox.put([tree.path], "proj/ds", ["--entry", "docs/README.md=\(file.path)", "--entry", "copy=\(tree.path)"])
        let paths = try await sandbox.show("proj/ds:v0", files: true)["files"] as? [[String: Any]] ?? []
        #expect(Set(paths.compactMap { $0.string("path") })
            == ["a.txt", "sub/b.txt", "docs/README.md", "copy/a.txt", "copy/sub/b.txt"])
        let refused = try await sandbox.fails(["put", "-n", "proj/ds", "--entry", "../out=\(file.path)"])
        #expect(refused.stderr.contains("../out"), "\(refused)")
        try await sandbox.fails(["put", "-n", "proj/ds", "--entry", "no-local-path"])
        #expect(try await sandbox.versionNames("proj/ds") == ["v0"])
    }

    @Test("edit --alias and --remove-alias change hand-set aliases, all checked before any change")
    func aliases() async throws {
        let sandbox = try Sandbox()
        let tree = try sandbox.writeTree("tree", ["a.txt": Data("a".utf8)])
        _ = try await sandbox.put([tree.path], "proj/ds", ["-a", "old"])
        try await sandbox.ok(["edit", "proj/ds:v0", "--alias", "best", "--remove-alias", "old", "-d", "kept"])
        let shown = try await sandbox.show("proj/ds:v0")
        #expect(Set(shown.strings("aliases")) == ["latest", "best"])
        #expect(shown.string("description") == "kept")
        let refused = try await sandbox.fails(["edit", "proj/ds:v0", "-d", "changed", "--alias", "bad/alias"])
        #expect(refused.stderr.contains("bad/alias"), "\(refused)")
        try await sandbox.fails(["edit", "proj/ds:v0", "--remove-alias", "latest"])
        try await sandbox.fails(["edit", "proj/ds:v0", "--remove-alias", "absent"])
        #expect(try await sandbox.show("proj/ds:v0").string("description") == "kept")
        #expect(Set(try await sandbox.show("proj/ds:v0").strings("aliases")) == ["latest", "best"])
    }

    @Test("verify --root names missing, changed and extra files, exit status 1")
    func directoryCheck() async throws {
        let sandbox = try Sandbox()
        let tree = try sandbox.writeTree("tree", ["a.txt": Data("a".utf8), "sub/b.txt": Data("b".utf8)])
        _ = try await sandbox.put([tree.path], "proj/ds")
        let out = sandbox.path("out").path
        try await sandbox.ok(["get", "proj/ds", "--root", out])
        let clean = try await sandbox.ok(["verify", "proj/ds", "--root", out, "--json"]).jsonObject()
        #expect(clean["matches"] as? Bool == true)
        try sandbox.write("out/a.txt", Data("A".utf8))
        try FileManager.default.removeItem(atPath: out + "/sub/b.txt")
        try sandbox.write("out/c.txt", Data("c".utf8))
        let result = try await sandbox.run(["verify", "proj/ds:latest", "--root", out, "--json"])
        #expect(result.status == 1)
        let report = try result.jsonObject()
        #expect(report.strings("changed") == ["a.txt"])
        #expect(report.strings("missing") == ["sub/b.txt"])
        #expect(report.strings("extra") == ["c.txt"])
        try await sandbox.fails(["verify", "--root", out])
    }

    @Test("run show --json lists the used and logged versions in full")
    func runVersions() async throws {
        let sandbox = try Sandbox()
        let tree = try sandbox.writeTree("tree", ["a.txt": Data("a".utf8)])
        try await sandbox.ok(["run", "start", "-p", "proj", "--id", "r1"])
        _ = try await sandbox.put([tree.path], "proj/ds", ["--run", "r1"])
        try await sandbox.ok(["use", "proj/ds:v0", "--run", "r1"])
        let shown = try await sandbox.ok(["run", "show", "r1", "--json"]).jsonObject()
        let logged = shown["loggedVersions"] as? [[String: Any]] ?? []
        let used = shown["usedVersions"] as? [[String: Any]] ?? []
        #expect(logged.compactMap { $0.string("digest") } == [try await sandbox.show("proj/ds:v0").string("digest")])
        #expect(used.compactMap { $0.string("version") } == ["v0"])
        #expect(shown.strings("logged") == ["proj/ds:v0"])
    }
}
