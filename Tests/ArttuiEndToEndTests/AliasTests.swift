import Foundation
import ProcessTestSupport
import Testing

/// `alias add`, `alias rm` and addressing by alias.
@Suite("aliases", .childProcesses)
struct AliasTests {
    /// A store with `proj/ds` at v0, v1, v2 (files `f.txt` = "n").
    private func threeVersions() async throws -> Sandbox {
        let sandbox = try Sandbox()
        for index in 0..<3 {
            let source = try sandbox.writeTree("v\(index)", ["f.txt": Data("\(index)".utf8)])
            try await sandbox.ok(["put", source.path, "-n", "proj/ds"])
        }
        return sandbox
    }

    @Test("an alias added to a version addresses it in show and get")
    func addAndAddress() async throws {
        let sandbox = try await threeVersions()
        let added = try await sandbox.ok(["alias", "add", "proj/ds:v1", "best"])
        #expect(added.stdout.contains("best") && added.stdout.contains("proj/ds:v1"), "\(added)")
        #expect(try await sandbox.show("proj/ds:best").string("version") == "v1")
        #expect(Set(try await sandbox.show("proj/ds:v1").strings("aliases")) == ["best"])

        let restored = sandbox.path("out")
        try await sandbox.ok(["get", "proj/ds:best", "--root", restored.path])
        #expect(try filesUnder(restored) == ["f.txt": Data("1".utf8)])
        // Default root uses the version number, not the alias.
        try await sandbox.ok(["get", "proj/ds:best"])
        #expect(try filesUnder(sandbox.work.appendingPathComponent("artifacts/ds:v1")) == ["f.txt": Data("1".utf8)])
    }

    @Test("adding an alias another version holds moves it and says from where")
    func move() async throws {
        let sandbox = try await threeVersions()
        try await sandbox.ok(["alias", "add", "proj/ds:v0", "best"])
        let moved = try await sandbox.ok(["alias", "add", "proj/ds:v2", "best"])
        #expect(moved.stdout.contains("moved"), "\(moved)")
        #expect(moved.stdout.contains("proj/ds:v0"), "the message must name where it moved from: \(moved)")
        #expect(moved.stdout.contains("proj/ds:v2"), "\(moved)")
        #expect(!(try await sandbox.show("proj/ds:v0").strings("aliases").contains("best")))
        #expect(try await sandbox.show("proj/ds:v2").strings("aliases").contains("best"))
        #expect(try await sandbox.show("proj/ds:best").string("version") == "v2")
    }

    @Test("aliases are unique per artifact regardless of case: Best moves best")
    func caseInsensitive() async throws {
        let sandbox = try await threeVersions()
        try await sandbox.ok(["alias", "add", "proj/ds:v0", "best"])
        let moved = try await sandbox.ok(["alias", "add", "proj/ds:v1", "Best"])
        #expect(moved.stdout.contains("proj/ds:v0"), "\(moved)")
        let v0 = try await sandbox.show("proj/ds:v0").strings("aliases")
        let v1 = try await sandbox.show("proj/ds:v1").strings("aliases")
        #expect(!v0.contains { $0.lowercased() == "best" }, "v0 still has \(v0)")
        #expect(v1.filter { $0.lowercased() == "best" }.count == 1, "v1 has \(v1)")
        let all = try await sandbox.ok(["ls", "proj/ds", "--json"]).jsonArray().flatMap { $0.strings("aliases") }
        #expect(all.filter { $0.lowercased() == "best" }.count == 1, "\(all)")
    }

    @Test("aliases are per artifact: the same alias on two artifacts does not move")
    func perArtifact() async throws {
        let sandbox = try await threeVersions()
        let other = try sandbox.writeTree("o", ["g.txt": Data("g".utf8)])
        try await sandbox.ok(["put", other.path, "-n", "proj/other"])
        try await sandbox.ok(["alias", "add", "proj/ds:v0", "best"])
        let second = try await sandbox.ok(["alias", "add", "proj/other:v0", "best"])
        #expect(!second.stdout.contains("moved"), "\(second)")
        #expect(try await sandbox.show("proj/ds:best").string("version") == "v0")
        #expect(try await sandbox.show("proj/other:best").string("name") == "other")
    }

    @Test("managed aliases cannot be set or removed by hand")
    func managedRefused() async throws {
        let sandbox = try await threeVersions()
        for alias in ["latest", "v3", "v0", "LATEST"] {
            let before = try DirectorySnapshot(sandbox.store)
            let result = try await sandbox.fails(["alias", "add", "proj/ds:v0", alias])
            #expect(result.stderr.contains(alias), "the error must name the alias: \(result)")
            try await sandbox.fails(["alias", "rm", "proj/ds", alias])
            try expectUnchanged(sandbox.store, since: before, alias)
        }
        #expect(try await sandbox.show("proj/ds:latest").string("version") == "v2")
        #expect(try await sandbox.show("proj/ds:v0").strings("aliases").isEmpty)
    }

    @Test("alias rm removes the alias; the version stays")
    func remove() async throws {
        let sandbox = try await threeVersions()
        try await sandbox.ok(["alias", "add", "proj/ds:v1", "best"])
        let removed = try await sandbox.ok(["alias", "rm", "proj/ds", "best"])
        #expect(removed.stdout.contains("best"), "\(removed)")
        #expect(try await sandbox.show("proj/ds:v1").strings("aliases").isEmpty)
        try await sandbox.fails(["show", "proj/ds:best"])
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v1", "v2"])
        // Removing it again is an error.
        try await sandbox.fails(["alias", "rm", "proj/ds", "best"])
    }

    @Test("put -a sets aliases on the new version, moving them from older ones")
    func putWithAliases() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("d", ["f.txt": Data("0".utf8)])
        try await sandbox.ok(["put", source.path, "-n", "proj/ds", "-a", "prod", "-a", "candidate"])
        try sandbox.write("d/f.txt", Data("1".utf8))
        try await sandbox.ok(["put", source.path, "-n", "proj/ds", "-a", "prod"])
        #expect(Set(try await sandbox.show("proj/ds:v0").strings("aliases")) == ["candidate"])
        #expect(Set(try await sandbox.show("proj/ds:v1").strings("aliases")) == ["latest", "prod"])
    }
}
