import Foundation
import ProcessTestSupport
import Testing

/// Several `arttui put` processes writing to one artifact at the same moment.
@Suite("concurrent puts", .childProcesses)
struct ConcurrencyTests {
    /// Launches one `put` per source directory, all before waiting for any, and returns their results.
    private func putAtOnce(_ sandbox: Sandbox, count: Int, artifact: String) async throws -> ([CommandResult], [[String: Data]]) {
        var trees: [[String: Data]] = []
        var sources: [URL] = []
        for index in 0..<count {
            var tree = sampleTree(seed: 70 + UInt64(index))
            // Enough bytes that the writes overlap in time.
            tree["big.bin"] = SeededBytes.data(seed: 170 + UInt64(index), count: 1 << 20)
            trees.append(tree)
            sources.append(try sandbox.writeTree("src\(index)", tree))
        }
        let running = try sources.map { try sandbox.start(["put", $0.path, "-n", artifact, "--json"]) }
        return (await running.waitAll(timeout: 60), trees)
    }

    @Test("two puts to the same artifact at once both succeed with distinct consecutive versions", arguments: [2, 4])
    func concurrentPuts(count: Int) async throws {
        let sandbox = try Sandbox()
        // The store exists already (creating it concurrently is its own test below).
        let seed = try sandbox.writeTree("seed", ["seed.txt": Data("seed".utf8)])
        try await sandbox.ok(["put", seed.path, "-n", "proj/seed"])
        let (results, trees) = try await putAtOnce(sandbox, count: count, artifact: "proj/ds")
        var versionOfTree: [Int: String] = [:]
        for (index, result) in results.enumerated() {
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.isEmpty, "\(result)")
            guard result.status == 0 else { continue }
            let json = try result.jsonObject()
            #expect(json["created"] as? Bool == true, "\(result)")
            versionOfTree[index] = json.string("version")
        }
        let expected = (0..<count).map { "v\($0)" }
        #expect(Set(versionOfTree.values) == Set(expected), "versions handed out: \(versionOfTree)")
        #expect(try await sandbox.versionNames("proj/ds") == expected)
        // Each version holds exactly the files of the put that reported it.
        for (index, version) in versionOfTree {
            let restored = sandbox.path("out-\(version)")
            try await sandbox.ok(["get", "proj/ds:\(version)", "--root", restored.path])
            #expect(try filesUnder(restored) == trees[index], "\(version) does not hold put \(index)'s files")
        }
        #expect(try await sandbox.show("proj/ds").string("version") == expected.last)
    }

    /// Creating one store from several processes at once: the marker and the catalog's first
    /// migration must not race.
    @Test("concurrent first puts to a brand-new store all succeed")
    func concurrentStoreCreation() async throws {
        let sandbox = try Sandbox()
        let (results, _) = try await putAtOnce(sandbox, count: 3, artifact: "fresh/ds")
        for result in results { #expect(result.status == 0, "\(result)") }
        #expect(try await sandbox.versionNames("fresh/ds").count == 3)
    }

    @Test("concurrent puts of identical content make one version and report no changes for the rest")
    func concurrentIdenticalPuts() async throws {
        let sandbox = try Sandbox()
        let seed = try sandbox.writeTree("seed", ["seed.txt": Data("seed".utf8)])
        try await sandbox.ok(["put", seed.path, "-n", "proj/seed"])
        let tree = sampleTree(seed: 80)
        let sources = try (0..<3).map { try sandbox.writeTree("same\($0)", tree) }
        let running = try sources.map { try sandbox.start(["put", $0.path, "-n", "proj/same", "--json"]) }
        let results = await running.waitAll(timeout: 60)
        for result in results { #expect(result.status == 0, "\(result)") }
        let created = try results.filter { $0.status == 0 }.filter { try $0.jsonObject()["created"] as? Bool == true }
        // The digest is the same, so there is one version, however the race falls out.
        #expect(try await sandbox.versionNames("proj/same") == ["v0"], "\(results)")
        #expect(created.count == 1, "\(results)")
    }
}
