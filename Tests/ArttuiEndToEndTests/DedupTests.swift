import Foundation
import ProcessTestSupport
import Testing

/// What a new version costs the store: only what changed.
@Suite("dedup", .childProcesses)
struct DedupTests {
    @Test("a version changing one small file of many adds roughly only that file's bytes")
    func oneSmallFileChanged() async throws {
        let sandbox = try Sandbox()
        var generator = SeededBytes(seed: 20)
        var tree: [String: Data] = [:]
        for index in 0..<60 {
            tree["shard\(index / 10)/part-\(index).bin"] = generator.data(count: 20_000)
        }
        let source = try sandbox.writeTree("data", tree)
        let first = try await sandbox.put([source.path], "proj/ds")
        let total = tree.values.reduce(0) { $0 + $1.count }
        #expect(first.int("size") == total)
        // Random bytes do not compress: the first version adds about its size.
        #expect((first.int("addedBytes") ?? 0) > total / 2, "\(first)")

        let changed = generator.data(count: 20_000)
        try changed.write(to: source.appendingPathComponent("shard3/part-35.bin"))
        let second = try await sandbox.put([source.path], "proj/ds")
        let added = try #require(second.int("addedBytes"))
        #expect(second.int("size") == total)
        #expect(added > 0, "a changed file must add something: \(second)")
        // One 20 KB file changed out of 1.2 MB; allow room for per-version overhead.
        #expect(added < 20_000 + 8_192, "v1 added \(added) bytes for one changed 20 KB file of \(total)")

        let restored = sandbox.path("out")
        try await sandbox.ok(["get", "proj/ds:v0", "--root", restored.path])
        #expect(try filesUnder(restored) == tree)
    }

    @Test("100 bytes overwritten in the middle of an 8 MiB file add far less than the file")
    func chunkingBigFile() async throws {
        let sandbox = try Sandbox()
        var big = SeededBytes.data(seed: 21, count: 8 << 20)
        let file = try sandbox.write("data/big.bin", big)
        let first = try await sandbox.put([file.deletingLastPathComponent().path], "proj/big")
        #expect(first.int("size") == big.count)

        let middle = big.count / 2
        big.replaceSubrange(middle..<(middle + 100), with: SeededBytes.data(seed: 22, count: 100))
        try big.write(to: file)
        let second = try await sandbox.put([file.deletingLastPathComponent().path], "proj/big")
        #expect(second["created"] as? Bool == true)
        let added = try #require(second.int("addedBytes"))
        #expect(added > 0)
        // A few ~1 MiB chunks at most, never the whole 8 MiB again.
        #expect(added < 3 << 20, "v1 added \(added) bytes for a 100-byte overwrite in an 8 MiB file")

        let restored = sandbox.path("out")
        try await sandbox.ok(["get", "proj/big:v1", "--root", restored.path])
        #expect(try Data(contentsOf: restored.appendingPathComponent("big.bin")) == big)
        try await sandbox.ok(["get", "proj/big:v0", "--root", sandbox.path("out0").path])
        #expect(try Data(contentsOf: sandbox.path("out0/big.bin")) == SeededBytes.data(seed: 21, count: 8 << 20))
    }

    @Test("100 bytes inserted in the middle of a big file add only a few chunks")
    func chunkingInsert() async throws {
        let sandbox = try Sandbox()
        var big = SeededBytes.data(seed: 23, count: 6 << 20)
        let file = try sandbox.write("data/big.bin", big)
        try await sandbox.ok(["put", file.path, "-n", "proj/big"])
        big.insert(contentsOf: SeededBytes.data(seed: 24, count: 100), at: big.count / 2)
        try big.write(to: file)
        let added = try #require(try await sandbox.put([file.path], "proj/big").int("addedBytes"))
        #expect(added < 3 << 20, "v1 added \(added) bytes for a 100-byte insert in a 6 MiB file")
        let restored = sandbox.path("out")
        try await sandbox.ok(["get", "proj/big", "--root", restored.path])
        #expect(try Data(contentsOf: restored.appendingPathComponent("big.bin")) == big)
    }

    @Test("the same files under another artifact add nothing to the store")
    func crossArtifactDedup() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("data", sampleTree(seed: 25))
        try await sandbox.ok(["put", source.path, "-n", "proj/one"])
        let second = try await sandbox.put([source.path], "proj/two")
        #expect(second["created"] as? Bool == true)
        #expect((second.int("addedBytes") ?? -1) < 1024, "\(second)")
    }
}
