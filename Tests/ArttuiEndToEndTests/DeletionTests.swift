import Foundation
import ProcessTestSupport
import Testing

/// `rm` and `prune`: what goes, what stays, and that nothing still needed is freed.
@Suite("rm and prune", .childProcesses)
struct DeletionTests {
    /// Puts `count` versions of `proj/ds`: a shared base of files plus one file unique to each version.
    /// Returns each version's expected files.
    private func versions(_ count: Int, in sandbox: Sandbox, artifact: String = "proj/ds", seed: UInt64 = 40) async throws -> [[String: Data]] {
        var generator = SeededBytes(seed: seed)
        let base = ["shared/a.bin": generator.data(count: 30_000), "shared/b.bin": generator.data(count: 10_000)]
        var all: [[String: Data]] = []
        for index in 0..<count {
            var tree = base
            tree["own.bin"] = generator.data(count: 5_000 + index * 1000)
            let directory = "src-\(artifact.replacingOccurrences(of: "/", with: "_"))-\(index)"
            let source = try sandbox.writeTree(directory, tree)
            try await sandbox.ok(["put", source.path, "-n", artifact])
            all.append(tree)
        }
        return all
    }

    @Test("rm of a version with hand-set aliases is refused and changes nothing; --delete-aliases deletes it")
    func rmWithAliases() async throws {
        let sandbox = try Sandbox()
        let trees = try await versions(3, in: sandbox)
        try await sandbox.ok(["alias", "add", "proj/ds:v1", "best"])
        let before = try DirectorySnapshot(sandbox.store)
        let refused = try await sandbox.fails(["rm", "proj/ds:v1"])
        #expect(refused.stderr.contains("best"), "the error should name the alias: \(refused)")
        try expectUnchanged(sandbox.store, since: before)
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v1", "v2"])

        let deleted = try await sandbox.ok(["rm", "proj/ds:best", "--delete-aliases", "--json"]).jsonObject()
        #expect((deleted["deleted"] as? [[String: Any]])?.map { $0.string("version") } == ["v1"])
        let freed = try #require(deleted.int("freedBytes"))
        // v1's own file (6000 random bytes) is freed; the shared files are not.
        #expect(freed > 0 && freed < 30_000, "\(deleted)")
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v2"])
        try await sandbox.fails(["show", "proj/ds:best"])
        try await sandbox.fails(["show", "proj/ds:v1"])

        for (index, tree) in trees.enumerated() where index != 1 {
            let restored = sandbox.path("out\(index)")
            try await sandbox.ok(["get", "proj/ds:v\(index)", "--root", restored.path])
            #expect(try filesUnder(restored) == tree, "v\(index) after rm of v1")
        }
    }

    @Test("rm of a version with only latest is allowed; latest moves back; numbers are never reused")
    func rmNewest() async throws {
        let sandbox = try Sandbox()
        let trees = try await versions(3, in: sandbox)
        try await sandbox.ok(["rm", "proj/ds:v2"])
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v1"])
        #expect(try await sandbox.show("proj/ds").string("version") == "v1")
        #expect(try await sandbox.show("proj/ds:v1").strings("aliases").contains("latest"))
        let restored = sandbox.path("latest")
        try await sandbox.ok(["get", "proj/ds:latest", "--root", restored.path])
        #expect(try filesUnder(restored) == trees[1])

        let source = try sandbox.writeTree("next", ["new.txt": Data("new".utf8)])
        let put = try await sandbox.put([source.path], "proj/ds")
        #expect(put.string("version") == "v3", "v2 was deleted; its number must not be reused: \(put)")
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v1", "v3"])

        // Putting v2's content again makes a new version, v4, not a resurrected v2.
        let again = try sandbox.writeTree("again", trees[2])
        let repeated = try await sandbox.put([again.path], "proj/ds")
        #expect(repeated.string("version") == "v4", "\(repeated)")
        let restoredAgain = sandbox.path("v4")
        try await sandbox.ok(["get", "proj/ds:v4", "--root", restoredAgain.path])
        #expect(try filesUnder(restoredAgain) == trees[2])
    }

    @Test("rm of every version leaves an artifact with no latest; a later put continues the numbering")
    func rmAll() async throws {
        let sandbox = try Sandbox()
        _ = try await versions(2, in: sandbox)
        try await sandbox.ok(["rm", "proj/ds:v1"])
        try await sandbox.ok(["rm", "proj/ds:v0"])
        #expect(try await sandbox.versionNames("proj/ds") == [])
        try await sandbox.fails(["get", "proj/ds", "--root", sandbox.path("none").path])
        let source = try sandbox.writeTree("n", ["n.txt": Data("n".utf8)])
        #expect(try await sandbox.put([source.path], "proj/ds").string("version") == "v2")
    }

    @Test("prune --dry-run prints the same figures as the real run, and deletes nothing")
    func pruneDryRunMatches() async throws {
        let sandbox = try Sandbox()
        _ = try await versions(5, in: sandbox)
        try await sandbox.ok(["alias", "add", "proj/ds:v1", "keep"])
        let before = try DirectorySnapshot(sandbox.store)
        let dry = try await sandbox.ok(["prune", "proj/ds", "--dry-run", "--json"]).jsonObject()
        let dryText = try await sandbox.ok(["prune", "proj/ds", "--dry-run"])
        try expectUnchanged(sandbox.store, since: before)
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v1", "v2", "v3", "v4"])

        let real = try await sandbox.ok(["prune", "proj/ds", "--json"]).jsonObject()
        #expect(dry["dryRun"] as? Bool == true)
        #expect(real["dryRun"] as? Bool == false)
        let dryVersions = (dry["deleted"] as? [[String: Any]])?.compactMap { $0.string("version") }
        let realVersions = (real["deleted"] as? [[String: Any]])?.compactMap { $0.string("version") }
        #expect(dryVersions == ["v0", "v2", "v3"])
        #expect(realVersions == dryVersions)
        #expect(dry.int("freedBytes") == real.int("freedBytes"))
        #expect(dry.int("freedChunks") == real.int("freedChunks"))
        #expect((real.int("freedBytes") ?? 0) > 0)
        let freed = real.int("freedBytes")!
        #expect(dryText.stdout.contains("would free \(freed) bytes"), "\(dryText)")
        #expect(try await sandbox.versionNames("proj/ds") == ["v1", "v4"])
    }

    @Test("prune text output of the real run matches the dry run")
    func pruneTextMatches() async throws {
        let sandbox = try Sandbox()
        _ = try await versions(4, in: sandbox)
        let dry = try await sandbox.ok(["prune", "proj", "--dry-run"])
        let real = try await sandbox.ok(["prune", "proj"])
        let normalize = { (text: String) in
            text.replacingOccurrences(of: "would delete", with: "deleted")
                .replacingOccurrences(of: "to delete", with: "deleted")
                .replacingOccurrences(of: "would free", with: "freed")
        }
        #expect(normalize(dry.stdout) == real.stdout, "dry:\n\(dry.stdout)\nreal:\n\(real.stdout)")
        #expect(try await sandbox.versionNames("proj/ds") == ["v3"])
    }

    @Test("prune keeps aliased versions, the newest, and --keep-last N; what remains restores byte for byte")
    func pruneKeeps() async throws {
        let sandbox = try Sandbox()
        let trees = try await versions(7, in: sandbox)
        try await sandbox.ok(["alias", "add", "proj/ds:v0", "baseline"])
        let result = try await sandbox.ok(["prune", "proj/ds", "--keep-last", "2", "--json"]).jsonObject()
        let deleted = (result["deleted"] as? [[String: Any]])?.compactMap { $0.string("version") } ?? []
        #expect(Set(deleted) == ["v1", "v2", "v3", "v4"], "\(result)")
        #expect(try await sandbox.versionNames("proj/ds") == ["v0", "v5", "v6"])
        for index in [0, 5, 6] {
            let restored = sandbox.path("out\(index)")
            try await sandbox.ok(["get", "proj/ds:v\(index)", "--root", restored.path])
            #expect(try filesUnder(restored) == trees[index], "v\(index) after prune")
        }
        // A second prune has nothing left to do.
        let second = try await sandbox.ok(["prune", "proj/ds", "--keep-last", "2", "--json"]).jsonObject()
        #expect((second["deleted"] as? [Any])?.isEmpty == true)
        #expect(second.int("freedBytes") == 0)
    }

    @Test("prune of a project covers each of its artifacts and no other project")
    func pruneProject() async throws {
        let sandbox = try Sandbox()
        let a = try await versions(3, in: sandbox, artifact: "proj/a", seed: 41)
        let b = try await versions(2, in: sandbox, artifact: "proj/b", seed: 42)
        _ = try await versions(2, in: sandbox, artifact: "other/c", seed: 43)
        let dry = try await sandbox.ok(["prune", "proj", "--keep-last", "1", "--dry-run", "--json"]).jsonObject()
        let real = try await sandbox.ok(["prune", "proj", "--keep-last", "1", "--json"]).jsonObject()
        #expect(dry.int("freedBytes") == real.int("freedBytes"))
        #expect(try await sandbox.versionNames("proj/a") == ["v2"])
        #expect(try await sandbox.versionNames("proj/b") == ["v1"])
        #expect(try await sandbox.versionNames("other/c") == ["v0", "v1"])
        try await sandbox.ok(["get", "proj/a", "--root", sandbox.path("ra").path])
        try await sandbox.ok(["get", "proj/b", "--root", sandbox.path("rb").path])
        #expect(try filesUnder(sandbox.path("ra")) == a[2])
        #expect(try filesUnder(sandbox.path("rb")) == b[1])
    }

    @Test("deleting frees only chunks no remaining version uses: restored bytes survive a full prune of a chunked file")
    func pruneChunkedFile() async throws {
        let sandbox = try Sandbox()
        var big = SeededBytes.data(seed: 44, count: 4 << 20)
        let file = try sandbox.write("d/big.bin", big)
        try await sandbox.ok(["put", file.path, "-n", "proj/big"])
        big.replaceSubrange(100_000..<100_100, with: Data(repeating: 7, count: 100))
        try big.write(to: file)
        try await sandbox.ok(["put", file.path, "-n", "proj/big"])
        let pruned = try await sandbox.ok(["prune", "proj/big", "--json"]).jsonObject()
        // v0's private chunk goes; everything shared with v1 stays.
        #expect((pruned.int("freedBytes") ?? 0) < 3 << 20, "\(pruned)")
        try await sandbox.ok(["cache", "cleanup", "0"])
        try await sandbox.ok(["get", "proj/big", "--root", sandbox.path("out").path])
        #expect(try Data(contentsOf: sandbox.path("out/big.bin")) == big)
    }

    @Test("prune --keep-last refuses a negative count")
    func pruneNegative() async throws {
        let sandbox = try Sandbox()
        _ = try await versions(2, in: sandbox)
        let before = try DirectorySnapshot(sandbox.store)
        try await sandbox.fails(["prune", "proj/ds", "--keep-last", "-1"])
        try expectUnchanged(sandbox.store, since: before)
    }
}
