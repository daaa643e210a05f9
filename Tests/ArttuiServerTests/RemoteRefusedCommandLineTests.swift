import ArtifactWire
import Foundation
import ProcessTestSupport
import Testing

/// The table of refused command lines (`RefusedCommandLine`) again, with `--remote` at a real server:
/// the same one line as against a local store, a non-zero exit, and nothing changed on the server.
/// Skipped, with the reason printed, without ARTTUI_TEST_DATABASE_URL and ARTTUI_TEST_S3_ENDPOINT.
@Suite(.enabled(if: TwoServersEnvironment.enabled), .serialized, .childProcesses)
struct RemoteRefusedCommandLineTests {
    @Test func numericOptionsAndBadInputAreRefusedInTheWordsOfTheLocalStore() async throws {
        try await TwoServersTests.withServers(1) { servers, clients, _ in
            let root = clients[0]
            let (created, _) = try await root.send(
                "POST", "/api/v1/projects", json: WireProjectCreation(entity: "root", name: "p", visibility: "private"))
            try #require(created == 201)
            _ = try await root.put("root/p", "a", PreparedUpload(files: ["f.txt": Data("one\n".utf8)]))
            let home = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-refused-\(UUID().uuidString.prefix(8))")
            let directory = home.appendingPathComponent("d")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data("two\n".utf8).write(to: directory.appendingPathComponent("f.txt"))
            defer { try? FileManager.default.removeItem(at: home) }

            // Everything a refused command could have changed: the versions (aliases, description, metadata),
            // the artifact's manifest, and the project's artifacts.
            let watched = ["/api/v1/projects/root/p/artifacts/a/versions", "/api/v1/projects/root/p/artifacts/a/versions/v0/manifest",
                           "/api/v1/projects/root/p/artifacts"]
            var before: [Data] = []
            for path in watched { before.append(try await root.send("GET", path).1) }

            let cases = RefusedCommandLine.numericOptions(address: "root/p/a", project: "root/p")
                + RefusedCommandLine.badInput(
                    address: "root/p/a", directory: directory.path, missing: home.appendingPathComponent("nothing-here").path)
                + [RefusedCommandLine(["whoami", "--ca-cert", directory.path],
                                      "cannot read the CA certificate file \(directory.path): it is a directory, not a file")]
            for refused in cases {
                let outcome = try await RemoteCommandsTests.arttui(
                    ["--remote", servers[0].url.absoluteString] + refused.arguments, home: home,
                    environment: ["ARTTUI_TOKEN": root.token])
                #expect(outcome.status != 0, "\(refused) must fail: \(outcome)")
                #expect(outcome.stderr == refused.message + "\n", "\(refused)")
            }
            let (status, body) = try await root.send("GET", "/api/v1/projects/root/p/artifacts/a/versions")
            #expect(status == 200)
            #expect(try root.decode(WireVersionPage.self, body).total == 1, "a refused command changed the server")
            for (path, earlier) in zip(watched, before) {
                let (status, now) = try await root.send("GET", path)
                #expect(status == 200 && now == earlier, "a refused command changed \(path)")
            }
        }
    }
}
