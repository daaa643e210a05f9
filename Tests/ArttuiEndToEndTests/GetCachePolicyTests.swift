import Foundation
import ProcessTestSupport
import Testing

/// `arttui get --cache always|auto|never`, end to end.
@Suite("get --cache", .childProcesses)
struct GetCachePolicyTests {
    private func filesInCache(_ sandbox: Sandbox) async throws -> Int? {
        try await sandbox.ok(["cache", "size", "--json"]).jsonObject().int("files")
    }

    @Test("never leaves the cache empty, always fills it, auto caches small files")
    func policies() async throws {
        let sandbox = try Sandbox()
        let tree = sampleTree(seed: 61)
        try await sandbox.ok(["put", try sandbox.writeTree("d", tree).path, "-n", "proj/ds"])
        let distinct = Set(tree.values).count

        let never = try await sandbox.ok(["get", "proj/ds", "--root", sandbox.path("never").path, "--cache", "never", "--json"])
            .jsonObject()
        #expect(never.int("fromStore") == tree.count && never.int("addedToCache") == 0, "\(never)")
        #expect(try await filesInCache(sandbox) == 0)
        #expect(try filesUnder(sandbox.path("never")) == tree)

        // Every file of the sample tree is far below the 1 MiB limit of auto.
        let auto = try await sandbox.ok(["get", "proj/ds", "--root", sandbox.path("auto").path, "--cache", "auto", "--json"])
            .jsonObject()
        #expect(auto.int("addedToCache") == tree.count, "\(auto)")
        #expect(try await filesInCache(sandbox) == distinct)

        // Cleanup to 0 bytes keeps the empty file (it frees nothing), which the next get then reuses.
        try await sandbox.ok(["cache", "cleanup", "0", "--wait"])
        let always = try await sandbox.ok(["get", "proj/ds", "--root", sandbox.path("always").path, "--cache", "always", "--json"])
            .jsonObject()
        #expect(always.int("addedToCache")! + always.int("fromCache")! == tree.count, "\(always)")
        #expect(always.int("addedToCache") == always.int("fromStore"), "\(always)")
        #expect(try await filesInCache(sandbox) == distinct)
        #expect(try filesUnder(sandbox.path("always")) == tree)
    }

    @Test("auto does not copy a file above 1 MiB into the cache; always does")
    func autoLeavesBigFilesOut() async throws {
        let sandbox = try Sandbox()
        let big = SeededBytes.data(seed: 62, count: (1 << 20) + 1)
        try await sandbox.ok(["put", try sandbox.writeTree("d", ["big.bin": big]).path, "-n", "proj/big"])
        let auto = try await sandbox.ok(["get", "proj/big", "--root", sandbox.path("auto").path, "--cache", "auto", "--json"])
            .jsonObject()
        // A file system with reflink clones caches it at no cost; ext4 and tmpfs cannot.
        let cached = try await filesInCache(sandbox)
        #expect(auto.int("addedToCache") == cached && (cached == 0 || cached == 1), "\(auto)")
        #expect(try filesUnder(sandbox.path("auto")) == ["big.bin": big])
        // The default is always: a downloaded version is in the cache, big files too.
        try await sandbox.ok(["get", "proj/big", "--root", sandbox.path("always").path])
        #expect(try await filesInCache(sandbox) == 1)
        let again = try await sandbox.ok(["get", "proj/big", "--root", sandbox.path("again").path, "--json"]).jsonObject()
        #expect(again.int("fromCache") == 1, "\(again)")
    }

    @Test("a bad policy, and a link mode with --cache never, fail with one line and write nothing")
    func refusals() async throws {
        let sandbox = try Sandbox()
        try await sandbox.ok(["put", try sandbox.writeTree("d", sampleTree(seed: 63)).path, "-n", "proj/ds"])
        let bad = try await sandbox.fails(["get", "proj/ds", "--root", sandbox.path("o1").path, "--cache", "sometimes"])
        #expect(bad.stderr.contains("sometimes"), "\(bad)")
        let link = try await sandbox.fails(
            ["get", "proj/ds", "--root", sandbox.path("o2").path, "--cache", "never", "--link", "hardlink"])
        #expect(link.stderr.contains("--cache never"), "\(link)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("o1").path))
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("o2").path))
    }

    @Test("a get killed while filling the cache leaves no partial file, and the next get completes", arguments: [2, 7])
    func killedWhileFilling(write: Int) async throws {
        let sandbox = try Sandbox()
        let tree = sampleTree(seed: 64)
        try await sandbox.ok(["put", try sandbox.writeTree("d", tree).path, "-n", "proj/ds"])
        let out = sandbox.path("out")
        let killed = try await sandbox.run(
            ["get", "proj/ds", "--root", out.path, "--cache", "always"], environment: ["ARTTUI_FAULT": "write:\(write):crash"])
        #expect(killed.signalled, "\(killed)")
        // Whatever has its name is complete.
        for (path, data) in try filesUnder(out) where !path.contains(".arttui-") {
            #expect(tree[path] == data, "\(path) is partial after the kill")
        }
        // Completing the same folder leaves the files the killed get had placed (they are right) and
        // writes the rest; a get into a new folder then fills the cache with whatever it still lacks.
        let report = try await sandbox.ok(["get", "proj/ds", "--root", out.path, "--cache", "always", "--json"]).jsonObject()
        #expect(report.int("files") == tree.count, "\(report)")
        #expect(try filesUnder(out).filter { !$0.key.contains(".arttui-") } == tree)
        try await sandbox.ok(["get", "proj/ds", "--root", sandbox.path("again").path, "--cache", "always"])
        #expect(try await filesInCache(sandbox) == Set(tree.values).count)
        let fromCache = try await sandbox.ok(["get", "proj/ds", "--root", sandbox.path("third").path, "--json"]).jsonObject()
        #expect(fromCache.int("fromCache") == tree.count, "\(fromCache)")
        #expect(try filesUnder(sandbox.path("third")) == tree)
    }
}
