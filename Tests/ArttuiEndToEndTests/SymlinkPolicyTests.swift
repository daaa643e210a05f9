import Foundation
import ProcessTestSupport
import Testing

/// `put --symlinks refuse|follow|reference` for links that leave the directory being stored.
@Suite("symbolic links leaving a tree", .childProcesses)
struct SymlinkPolicyTests {
    /// `data/` with an inside link, a link to a file outside and a link to a directory outside.
    private func makeTree(_ sandbox: Sandbox) throws -> URL {
        let data = try sandbox.writeTree("data", ["real.txt": Data("inside".utf8)])
        try sandbox.writeTree("outside", ["file.txt": Data("outside file".utf8), "dir/deep.bin": Data("deep".utf8)])
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: data.appendingPathComponent("alias.txt").path, withDestinationPath: "real.txt")
        try manager.createSymbolicLink(atPath: data.appendingPathComponent("one.txt").path,
                                       withDestinationPath: sandbox.path("outside/file.txt").path)
        try manager.createSymbolicLink(atPath: data.appendingPathComponent("shared").path,
                                       withDestinationPath: sandbox.path("outside/dir").path)
        return data
    }

    private let expected: [String: Data] = [
        "real.txt": Data("inside".utf8), "alias.txt": Data("inside".utf8),
        "one.txt": Data("outside file".utf8), "shared/deep.bin": Data("deep".utf8),
    ]

    @Test("refuse (the default) names the link and the option")
    func refuse() async throws {
        let sandbox = try Sandbox()
        let data = try makeTree(sandbox)
        for extra in [[], ["--symlinks", "refuse"]] {
            let failed = try await sandbox.fails(["put", data.path, "-n", "p/d"] + extra)
            #expect(failed.stderr.contains("--symlinks follow") && failed.stderr.contains("leaves"), "\(failed)")
        }
        #expect(try await sandbox.run(["ls", "p/d"]).status != 0)
    }

    @Test("follow stores what the links point at")
    func follow() async throws {
        let sandbox = try Sandbox()
        let data = try makeTree(sandbox)
        let version = try await sandbox.put([data.path], "p/d", ["--symlinks", "follow"])
        #expect(version.int("fileCount") == 4, "\(version)")
        let files = try await sandbox.show("p/d", files: true)["files"] as? [[String: Any]] ?? []
        #expect(files.allSatisfy { $0["reference"] == nil }, "\(files)")
        // Stored: removing the targets does not matter.
        try FileManager.default.removeItem(at: sandbox.path("outside"))
        try await sandbox.ok(["get", "p/d", "--root", sandbox.path("out").path])
        #expect(try filesUnder(sandbox.path("out")) == expected)
    }

    @Test("follow refuses a loop and a device")
    func followRefusesLoopsAndDevices() async throws {
        let sandbox = try Sandbox()
        let looped = try sandbox.writeTree("looped", ["a.txt": Data("a".utf8)])
        try FileManager.default.createSymbolicLink(atPath: looped.appendingPathComponent("up").path,
                                                   withDestinationPath: sandbox.root.path)
        let loop = try await sandbox.fails(["put", looped.path, "-n", "p/l", "--symlinks", "follow"])
        #expect(loop.stderr.contains("loop"), "\(loop)")

        let device = try sandbox.writeTree("device", ["a.txt": Data("a".utf8)])
        try FileManager.default.createSymbolicLink(atPath: device.appendingPathComponent("null").path,
                                                   withDestinationPath: "/dev/null")
        let refused = try await sandbox.fails(["put", device.path, "-n", "p/l", "--symlinks", "follow"])
        #expect(refused.stderr.contains("character device"), "\(refused)")
    }

    @Test("reference records file:// references to the targets; links inside the tree are stored")
    func reference() async throws {
        let sandbox = try Sandbox()
        let data = try makeTree(sandbox)
        try await sandbox.ok(["put", data.path, "-n", "p/d", "--symlinks", "reference"])
        let files = try await sandbox.show("p/d", files: true)["files"] as? [[String: Any]] ?? []
        let uris = Dictionary(uniqueKeysWithValues: files.map {
            ($0.string("path") ?? "", $0.object("reference").string("uri") ?? "stored")
        })
        #expect(uris == [
            "real.txt": "stored", "alias.txt": "stored",
            "one.txt": "file://\(sandbox.path("outside/file.txt").path)",
            "shared/deep.bin": "file://\(sandbox.path("outside/dir/deep.bin").path)",
        ])
        try await sandbox.ok(["get", "p/d", "--root", sandbox.path("out").path])
        #expect(try filesUnder(sandbox.path("out")) == expected)
    }
}
