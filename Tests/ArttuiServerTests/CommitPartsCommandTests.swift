import ArtifactWire
import Foundation
import ProcessTestSupport
import Testing

/// `put --remote`, `get --remote`, `push` and `pull` of a version of more files than one commit part
/// (`ARTTUI_COMMIT_PART_FILES` makes a part 1,000 files here, so 2,500 files cross three requests).
@Suite(.enabled(if: TwoServersEnvironment.enabled), .serialized, .childProcesses) struct CommitPartsCommandTests {
    /// 2,500 small files, some sharing content, in a few folders.
    static func manySmallFiles() -> [String: Data] {
        var files: [String: Data] = [:]
        for index in 0..<2_500 { files["d\(index % 9)/f\(index).txt"] = Data("sample \(index % 1_700) \(index % 3)\n".utf8) }
        return files
    }

    static func withPartsOf1000(_ body: @Sendable @escaping (TransferCommandTests.Scratch) async throws -> Void) async throws {
        try await TransferCommandTests.withServer { scratch in
            scratch.environmentAdded["ARTTUI_COMMIT_PART_FILES"] = "1000"
            try await body(scratch)
        }
    }

    @Test func aVersionOfSeveralPartsIsPutGotPushedAndPulledWhole() async throws {
        try await Self.withPartsOf1000 { scratch in
            let remote = scratch.server.absoluteString
            let files = Self.manySmallFiles()
            try scratch.tree("data", files)
            let put = try await scratch.json(["put", "data", "-n", "root/big/ds", "-a", "best", "--remote", remote])
            #expect(put["created"] as? Bool == true && put["fileCount"] as? Int == 2_500, "\(put)")
            try await scratch.ok(["get", "root/big/ds:best", "--root", "out", "--remote", remote])
            #expect(try scratch.contents("out") == files)

            // The same tree put locally, pushed, and both server versions pulled back: one digest everywhere.
            let local = try await scratch.json(["put", "data", "-n", "loc/ds"])
            try await scratch.ok(["push", "loc/ds", "--to", remote, "--into", "root/pushed"])
            try await scratch.ok(["pull", "root/big/ds", "--from", remote, "--into", "a"], store: "fresh")
            try await scratch.ok(["pull", "root/pushed/ds", "--from", remote, "--into", "b"], store: "fresh")
            let digest = try #require(local["digest"] as? String)
            for address in ["a/ds:v0", "b/ds:v0"] {
                let pulled = try await scratch.json(["show", address], store: "fresh")
                #expect(pulled["digest"] as? String == digest, "\(address)")
                #expect(pulled["fileCount"] as? Int == 2_500, "\(address)")
            }
            try await scratch.ok(["get", "b/ds", "--root", "pulled"], store: "fresh", cache: "cache2")
            #expect(try scratch.contents("pulled") == files)
        }
    }

    @Test func aPutKilledBetweenPartsLeavesNoVersionAndItsRerunCommitsOnceSendingNoChunkAgain() async throws {
        try await Self.withPartsOf1000 { scratch in
            let remote = scratch.server.absoluteString
            try scratch.tree("data", Self.manySmallFiles())
            // Killed (SIGKILL) just before its second part: the first is with the server, the commit is not.
            scratch.environmentAdded["ARTTUI_FAULT"] = "part:2:crash"
            let killed = try await scratch.run(["put", "data", "-n", "root/big/ds", "--remote", remote])
            #expect(killed.status == 9, "killed before the second part: \(killed)")
            let (status, _) = try await scratch.client.send("GET", "/api/v1/projects/root/big/artifacts/ds/versions")
            #expect(status == 404, "nothing of the killed put is visible")

            scratch.environmentAdded["ARTTUI_FAULT"] = nil
            let chunksBefore = try await scratch.metric("arttui_upload_chunks_total")
            let rerun = try await scratch.json(["put", "data", "-n", "root/big/ds", "--remote", remote])
            #expect(rerun["created"] as? Bool == true && rerun["version"] as? String == "v0", "\(rerun)")
            #expect(try await scratch.metric("arttui_upload_chunks_total") == chunksBefore, "every chunk was staged before the kill")
            let (listed, body) = try await scratch.client.send("GET", "/api/v1/projects/root/big/artifacts/ds/versions")
            #expect(listed == 200)
            #expect(try scratch.client.decode(WireVersionPage.self, body).total == 1)
        }
    }

    @Test func aPartSizeThatIsNotANumberOfFilesIsRefusedInOneLineBeforeAnythingIsSent() async throws {
        try await TransferCommandTests.withServer { scratch in
            let remote = scratch.server.absoluteString
            try scratch.tree("data", ["a.txt": Data("a\n".utf8)])
            for value in ["0", "many", "100001"] {
                scratch.environmentAdded["ARTTUI_COMMIT_PART_FILES"] = value
                let refused = try await scratch.fails(["put", "data", "-n", "root/big/ds", "--remote", remote])
                #expect(refused == "arttui: error: ARTTUI_COMMIT_PART_FILES must be a whole number of files from 1 to 100000, got \"\(value)\"\n")
            }
            let (status, _) = try await scratch.client.send("GET", "/api/v1/projects/root/big/artifacts/ds/versions")
            #expect(status == 404)
        }
    }
}
