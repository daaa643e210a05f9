import Foundation
import ProcessTestSupport
import Testing

/// `cache size` and `cache cleanup`.
@Suite("cache", .childProcesses)
struct CacheCommandTests {
    /// A sandbox whose cache was filled by a `get` of `proj/ds` (the sample tree).
    private func filledCache() async throws -> (Sandbox, [String: Data]) {
        let sandbox = try Sandbox()
        let tree = sampleTree(seed: 50)
        let source = try sandbox.writeTree("d", tree)
        try await sandbox.ok(["put", source.path, "-n", "proj/ds"])
        try await sandbox.ok(["get", "proj/ds", "--root", sandbox.path("out").path])
        return (sandbox, tree)
    }

    private func cacheSize(_ sandbox: Sandbox) async throws -> [String: Any] {
        try await sandbox.ok(["cache", "size", "--json"]).jsonObject()
    }

    @Test("cache size --json reports bytes, files and path of what get fetched")
    func size() async throws {
        let (sandbox, tree) = try await filledCache()
        let report = try await cacheSize(sandbox)
        let distinct = Set(tree.values)
        #expect(report.int("bytes") == distinct.reduce(0) { $0 + $1.count }, "\(report)")
        #expect(report.int("files") == distinct.count, "\(report)")
        let path = try #require(report.string("path"))
        #expect(URL(fileURLWithPath: path).standardizedFileURL.path == sandbox.cache.standardizedFileURL.path)
        let text = try await sandbox.ok(["cache", "size"])
        #expect(text.stdout.contains("(\(report.int("bytes")!) bytes) in \(distinct.count) files"), "\(text)")
    }

    @Test("an empty cache is size zero")
    func emptySize() async throws {
        let sandbox = try Sandbox()
        let report = try await cacheSize(sandbox)
        #expect(report.int("bytes") == 0 && report.int("files") == 0, "\(report)")
    }

    @Test("a second get is served from the cache")
    func getFromCache() async throws {
        let (sandbox, tree) = try await filledCache()
        let second = try await sandbox.ok(["get", "proj/ds", "--root", sandbox.path("out2").path, "--json"]).jsonObject()
        #expect(second.int("fromStore") == 0, "\(second)")
        #expect(second.int("fromCache") == tree.count, "\(second)")
        #expect(try filesUnder(sandbox.path("out2")) == tree)
    }

    @Test("cleanup 0 empties the cache; get still works afterwards")
    func cleanupToZero() async throws {
        let (sandbox, tree) = try await filledCache()
        let before = try await cacheSize(sandbox)
        let dry = try await sandbox.ok(["cache", "cleanup", "0", "--dry-run", "--json"]).jsonObject()
        #expect(dry.int("freedBytes") == before.int("bytes"))
        #expect(try await cacheSize(sandbox).int("bytes") == before.int("bytes"), "dry run removed files")

        let cleaned = try await sandbox.ok(["cache", "cleanup", "0", "--json"]).jsonObject()
        #expect(cleaned.int("freedBytes") == before.int("bytes"))
        #expect(cleaned.int("remainingBytes") == 0)
        let after = try await cacheSize(sandbox)
        #expect(after.int("bytes") == 0 && after.int("files") == 0, "\(after)")
        // The restored copies are untouched, and a new get comes from the store.
        #expect(try filesUnder(sandbox.path("out")) == tree)
        let again = try await sandbox.ok(["get", "proj/ds", "--root", sandbox.path("out2").path, "--json"]).jsonObject()
        #expect(again.int("fromStore") == tree.count, "\(again)")
        #expect(try filesUnder(sandbox.path("out2")) == tree)
    }

    @Test("a big cleanup returns once committed and unlinks in the background; --wait unlinks first")
    func bigCleanupUnlinksInTheBackground() async throws {
        let sandbox = try Sandbox()
        // Enough distinct files to go to the background unlinker (BackgroundUnlinker.threshold).
        var tree: [String: Data] = [:]
        for number in 0..<2_100 { tree["f/\(number).txt"] = Data("file number \(number)\n".utf8) }
        try await sandbox.ok(["put", try sandbox.writeTree("d", tree).path, "-n", "proj/many"])
        try await sandbox.ok(["get", "proj/many", "--root", sandbox.path("out").path])
        let objects = sandbox.cache.appendingPathComponent("obj").path
        let countObjects = { () -> Int in
            let walker = FileManager.default.enumerator(atPath: objects)
            var count = 0
            while let name = walker?.nextObject() as? String {
                // sha256/<2 hex>/<62 hex>, not the directories above them
                if name.split(separator: "/").count == 3 { count += 1 }
            }
            return count
        }
        #expect(countObjects() == tree.count)

        let cleaned = try await sandbox.ok(["cache", "cleanup", "0", "--json"]).jsonObject()
        #expect(cleaned.int("removedFiles") == tree.count, "\(cleaned)")
        #expect(try await cacheSize(sandbox).int("files") == 0, "the evicted files count for nothing at once")
        let deadline = Date().addingTimeInterval(30)
        while countObjects() > 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(countObjects() == 0, "the background unlinker removed every evicted file")

        try await sandbox.ok(["get", "proj/many", "--root", sandbox.path("out2").path])
        #expect(countObjects() == tree.count)
        let waited = try await sandbox.ok(["cache", "cleanup", "0", "--wait", "--json"]).jsonObject()
        #expect(waited.int("removedFiles") == tree.count, "\(waited)")
        #expect(countObjects() == 0, "--wait unlinks before it returns")
        #expect(try filesUnder(sandbox.path("out2")) == tree)
    }

    @Test("cleanup to a size above the cache's removes nothing")
    func cleanupLarge() async throws {
        let (sandbox, tree) = try await filledCache()
        for size in ["1GB", "1G", "1 GiB", "500mib", "10000000"] {
            let before = try DirectorySnapshot(sandbox.cache)
            let result = try await sandbox.ok(["cache", "cleanup", size, "--json"]).jsonObject()
            #expect(result.int("freedBytes") == 0, "\(size): \(result)")
            #expect(result.int("removedFiles") == 0, "\(size): \(result)")
            let after = try DirectorySnapshot(sandbox.cache)
            // Only bookkeeping (index, pins) may change; every cached file is still there with the same bytes.
            let cached = before.entries.filter { $0.key.hasPrefix("obj/") && !$0.key.hasSuffix("/") }
            #expect(cached.count == Set(tree.values).count, "\(before.entries.keys.sorted())")
            for (path, data) in cached {
                #expect(after.entries[path] == data, "cleanup \(size) removed or changed \(path)")
            }
        }
    }

    @Test("cleanup to a middle size evicts least-recently-used files until at most that size remains")
    func cleanupPartial() async throws {
        let sandbox = try Sandbox()
        let old = try sandbox.writeTree("old", ["old.bin": SeededBytes.data(seed: 51, count: 40_000)])
        let new = try sandbox.writeTree("new", ["new.bin": SeededBytes.data(seed: 52, count: 40_000)])
        try await sandbox.ok(["put", old.path, "-n", "proj/old"])
        try await sandbox.ok(["put", new.path, "-n", "proj/new"])
        try await sandbox.ok(["get", "proj/old", "--root", sandbox.path("o1").path])
        try await Task.sleep(for: .milliseconds(50))
        try await sandbox.ok(["get", "proj/new", "--root", sandbox.path("n1").path])
        let result = try await sandbox.ok(["cache", "cleanup", "50000", "--json"]).jsonObject()
        #expect(result.int("freedBytes") == 40_000, "\(result)")
        #expect(result.int("remainingBytes") == 40_000, "\(result)")
        // The newer file is the one left: getting it again comes from the cache.
        let again = try await sandbox.ok(["get", "proj/new", "--root", sandbox.path("n2").path, "--json"]).jsonObject()
        #expect(again.int("fromCache") == 1, "the most recently used file was evicted: \(again)")
        let oldAgain = try await sandbox.ok(["get", "proj/old", "--root", sandbox.path("o2").path, "--json"]).jsonObject()
        #expect(oldAgain.int("fromStore") == 1, "\(oldAgain)")
    }

    @Test("bad sizes fail and remove nothing")
    func badSizes() async throws {
        let (sandbox, _) = try await filledCache()
        let before = try DirectorySnapshot(sandbox.cache)
        let storeBefore = try DirectorySnapshot(sandbox.store)
        for size in ["1GX", "-5", "-1.5G", "10 gigs", "", "GB", "1.5.5G", "abc", "10G10"] {
            // A negative size is refused as a size, not read as an unknown flag with the size missing.
            for arguments in [["cache", "cleanup", size], ["cache", "cleanup", size, "--dry-run"],
                              ["cache", "cleanup", "--dry-run", size]] {
                let refused = try await sandbox.fails(arguments)
                #expect(refused.stderr.hasPrefix("arttui: error: size \""), "\(arguments): \(refused.stderr)")
            }
            try expectUnchanged(sandbox.cache, since: before, "after cleanup \(size)")
        }
        try expectUnchanged(sandbox.store, since: storeBefore)
        // Flags are still flags: an unknown one is named as such, and help is help.
        let unknown = try await sandbox.fails(["cache", "cleanup", "-x", "1G"])
        #expect(unknown.stderr.contains("'-x'") && !unknown.stderr.contains("size \""), "\(unknown.stderr)")
        let help = try await sandbox.ok(["cache", "cleanup", "-h"])
        #expect(help.stdout.contains("USAGE: arttui cache cleanup"), "\(help)")
        try expectUnchanged(sandbox.cache, since: before, "after the refused flags")
    }

    @Test("cache size --by-project breaks usage down per project and artifact")
    func byProject() async throws {
        let sandbox = try Sandbox()
        let a = try sandbox.writeTree("a", ["a.bin": SeededBytes.data(seed: 53, count: 10_000)])
        let b = try sandbox.writeTree("b", ["b.bin": SeededBytes.data(seed: 54, count: 20_000)])
        try await sandbox.ok(["put", a.path, "-n", "alpha/one"])
        try await sandbox.ok(["put", b.path, "-n", "beta/two"])
        try await sandbox.ok(["get", "alpha/one", "--root", sandbox.path("ra").path])
        try await sandbox.ok(["get", "beta/two", "--root", sandbox.path("rb").path])

        let report = try await sandbox.ok(["cache", "size", "--by-project", "--json"]).jsonObject()
        #expect(report.int("bytes") == 30_000)
        let projects = try #require(report["projects"] as? [[String: Any]], "\(report)")
        let byName = Dictionary(uniqueKeysWithValues: projects.compactMap { p in p.string("project").map { ($0, p) } })
        #expect(Set(byName.keys) == ["alpha", "beta"])
        #expect(byName["alpha"]?.int("bytes") == 10_000)
        #expect(byName["beta"]?.int("bytes") == 20_000)
        let alphaArtifacts = byName["alpha"]?["artifacts"] as? [[String: Any]] ?? []
        #expect(alphaArtifacts.map { $0.string("artifact") } == ["one"])
        // Without the flag there is no breakdown.
        let breakdown = try await cacheSize(sandbox)["projects"]
        #expect(breakdown == nil || breakdown is NSNull)
        let text = try await sandbox.ok(["cache", "size", "--by-project"])
        #expect(text.stdout.contains("alpha") && text.stdout.contains("beta"), "\(text)")
    }
}
