import ArtifactStore
import ArtifactWire
@testable import ArttuiServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Runs, lineage, sweeps, pending versions and verify through the API: the core's operations with the
/// CLI's JSON shapes, projects shown as `ENTITY/PROJECT`, and nothing shown from projects the caller
/// may not read.
@Suite(.enabled(if: ServerFixture.enabled)) struct RunsAndLineageTests {
    static let vision = "/api/v1/projects/alice/vision"

    @Test func aRunUsesAndLogsVersionsAndItsLineageShowsThem() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            #expect(try await alice.put("alice/vision", "data", files: ["a.txt": Data("data\n".utf8)]).response.status == .created)

            let started = try await alice.send(.post, "\(Self.vision)/runs", json: WireRunStart(id: "train-1", jobType: "train", config: ["lr": .double(0.1)]))
            #expect(started.status == .created)
            let run = try alice.decode(WireRun.self, started)
            #expect(run.id == "train-1")
            #expect(run.project == "alice/vision")
            #expect(run.state == "running")
            // The same id again is refused (resume defaults to never), and resume=must finds it.
            #expect(try await alice.send(.post, "\(Self.vision)/runs", json: WireRunStart(id: "train-1")).status == .conflict)
            #expect(try await alice.send(.post, "\(Self.vision)/runs", json: WireRunStart(id: "train-1", resume: "must")).status == .created)
            #expect(try await alice.send(.post, "\(Self.vision)/runs", json: WireRunStart(resume: "sometimes")).status == .badRequest)

            let used = try await alice.send(.post, "\(Self.vision)/runs/train-1/uses", json: WireRunUse(artifact: "data", version: "latest"))
            #expect(used.status == .ok)
            #expect(try alice.decode(WireVersion.self, used).version == "v0")
            #expect(try await alice.send(.post, "\(Self.vision)/runs/train-1/uses", json: WireRunUse(artifact: "data", version: "v7")).status == .notFound)
            let logged = try await alice.put("alice/vision", "model", files: ["m.bin": Data("weights".utf8)], run: "train-1")
            #expect(logged.response.status == .created)

            let summary = try await alice.send(.post, "\(Self.vision)/runs/train-1/log", json: WireRunSummaryChange(summary: ["acc": .double(0.5)]))
            #expect(try alice.decode(WireRun.self, summary).summary["acc"] == .double(0.5))
            let finished = try await alice.send(.post, "\(Self.vision)/runs/train-1/finish", json: WireRunSummaryChange(summary: ["acc": .double(0.9)]))
            let record = try alice.decode(WireRun.self, finished)
            #expect(record.state == "finished")
            #expect(record.summary["acc"] == .double(0.9))
            #expect(record.finishedAt != nil)
            #expect(try await alice.send(.post, "\(Self.vision)/runs/train-1/finish", json: WireRunSummaryChange(state: "running")).status == .badRequest)

            let detail = try alice.decode(WireRunDetail.self, try await alice.send(.get, "\(Self.vision)/runs/train-1"))
            #expect(detail.used == ["alice/vision/data:v0"])
            #expect(detail.logged == ["alice/vision/model:v0"])
            #expect(detail.loggedVersions.first?.loggedBy == "train-1")
            let listed = try alice.decode([WireRun].self, try await alice.send(.get, "\(Self.vision)/runs"))
            #expect(listed.map(\.id) == ["train-1"])
            #expect(try await alice.send(.get, "\(Self.vision)/runs/nope").status == .notFound)

            let lineage = try alice.decode(WireLineage.self, try await alice.send(
                .get, "\(Self.vision)/artifacts/model/versions/v0/lineage?up=2&down=0"))
            let versions = lineage.nodes.filter { $0.kind == "version" }.map { "\($0.project ?? "")/\($0.name):\($0.version ?? "")" }
            #expect(Set(versions) == ["alice/vision/model:v0", "alice/vision/data:v0"])
            #expect(lineage.nodes.contains { $0.kind == "run" && $0.id == "train-1" })
            #expect(lineage.edges.count == 2)
            let shallow = try alice.decode(WireLineage.self, try await alice.send(
                .get, "\(Self.vision)/artifacts/model/versions/v0/lineage?up=1&down=0"))
            #expect(shallow.nodes.count == 2, "one hop reaches the run only")
            #expect(try await alice.send(.get, "\(Self.vision)/artifacts/model/versions/v0/lineage?up=99").status == .badRequest)
        }
    }

    @Test func sweepBestRanksByAMetricEitherWay() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            for (id, loss) in [("s-a", 0.3), ("s-b", 0.1), ("s-c", 0.7)] {
                #expect(try await alice.send(.post, "\(Self.vision)/runs", json: WireRunStart(id: id, sweep: "grid")).status == .created)
                #expect(try await alice.send(.post, "\(Self.vision)/runs/\(id)/finish", json: WireRunSummaryChange(summary: ["loss": .double(loss)])).status == .ok)
            }
            _ = try await alice.put("alice/vision", "model", files: ["m": Data("b".utf8)], run: "s-b")
            let lowest = try alice.decode(WireSweepBest.self, try await alice.send(.get, "\(Self.vision)/sweeps/grid/best?metric=loss&order=min"))
            #expect(lowest.run.id == "s-b")
            #expect(lowest.artifacts.map(\.name) == ["model"])
            let highest = try alice.decode(WireSweepBest.self, try await alice.send(.get, "\(Self.vision)/sweeps/grid/best?metric=loss"))
            #expect(highest.run.id == "s-c")
            #expect(try await alice.send(.get, "\(Self.vision)/sweeps/grid/best").status == .badRequest)
            #expect(try await alice.send(.get, "\(Self.vision)/sweeps/grid/best?metric=loss&order=up").status == .badRequest)
            // A well-formed question with no run to answer it: not found, as an unknown run is.
            #expect(try await alice.send(.get, "\(Self.vision)/sweeps/grid/best?metric=acc").status == .notFound)
        }
    }

    @Test func pendingVersionsGatherUpsertsUntilFinishedOrDiscarded() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            for part in 0..<3 {
                let upsert = try await alice.put(
                    "alice/vision", "shards", files: ["part-\(part).txt": Data("shard \(part)\n".utf8)], distributedID: "job-7")
                #expect(upsert.response.status == .ok)
                #expect(try alice.decode(CommitResponse.self, upsert.response).version.state == "pending")
            }
            // Invisible until finished.
            #expect(try await alice.send(.get, "\(Self.vision)/artifacts/shards/versions/latest").status == .notFound)
            let finished = try await alice.send(.post, "\(Self.vision)/artifacts/shards/pending/job-7/finish", json: WirePendingFinish())
            #expect(finished.status == .ok)
            let version = try alice.decode(WireVersion.self, finished)
            #expect(version.version == "v0")
            #expect(version.fileCount == 3)
            #expect(try await alice.send(.post, "\(Self.vision)/artifacts/shards/pending/job-7/finish", json: WirePendingFinish()).status == .notFound)
            #expect(try await alice.send(.post, "\(Self.vision)/artifacts/shards/pending/job-8/finish", json: WirePendingFinish(run: "nope")).status == .notFound)

            _ = try await alice.put("alice/vision", "shards", files: ["x.txt": Data("abandoned".utf8)], distributedID: "job-9")
            let discarded = try await alice.send(.delete, "\(Self.vision)/artifacts/shards/pending/job-9")
            #expect(discarded.status == .ok)
            #expect(try alice.decode(WireDeletion.self, discarded).versions.map(\.state) == ["pending"])
            #expect(try await alice.send(.delete, "\(Self.vision)/artifacts/shards/pending/job-9").status == .notFound)
            let page = try alice.decode(WireVersionPage.self, try await alice.send(.get, "\(Self.vision)/artifacts/shards/versions"))
            #expect(page.versions.map(\.version) == ["v0"])
        }
    }

    @Test func verifyChecksAProjectOrVersionAndOnlySiteAdminsTheWholeStore() async throws {
        try await ServerFixture.run { client, accounts, store in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            let root = Session(client: client, token: try await accounts.addUser("root", admin: true))
            _ = try await alice.put("alice/vision", "data", files: ["a.bin": UploadProtocolTests.noise(200_000, seed: 3)])
            let project = try await alice.send(.get, "\(Self.vision)/verify?read_data=true")
            #expect(project.status == .ok)
            #expect(String(buffer: project.body).contains("\"clean\":true"))
            #expect(try await alice.send(.get, "\(Self.vision)/verify?artifact=data&version=v0").status == .ok)
            #expect(try await alice.send(.get, "\(Self.vision)/verify?artifact=nope").status == .notFound)
            #expect(try await alice.send(.get, "\(Self.vision)/verify?version=v0").status == .badRequest)
            let refused = try await alice.send(.get, "/api/v1/verify")
            #expect(refused.status == .forbidden)
            #expect(String(buffer: refused.body).contains("name a project, artifact or version"))
            #expect(try await Session(client: client, token: nil).send(.get, "/api/v1/verify").status == .unauthorized)
            #expect(try await root.send(.get, "/api/v1/verify").status == .ok)

            // Damage one pack: verify with read_data names the version.
            let packs = try FileManager.default.subpathsOfDirectory(atPath: store.directory.path).filter { $0.hasSuffix(".pack") || $0.contains("packs/") }
            let pack = try #require(packs.compactMap { path -> URL? in
                let url = store.directory.appendingPathComponent(path)
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue ? url : nil
            }.first)
            var bytes = try [UInt8](Data(contentsOf: pack))
            bytes[bytes.count / 2] ^= 0xFF
            try Data(bytes).write(to: pack)
            let damaged = try await alice.send(.get, "\(Self.vision)/verify?read_data=true")
            #expect(damaged.status == .ok)
            #expect(String(buffer: damaged.body).contains("\"clean\":false"))
        }
    }

    @Test func lineageAndRunsHideWhatTheCallerMayNotRead() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            #expect(try await alice.send(.patch, Self.vision, json: ["visibility": "public"]).status == .ok)
            _ = try await alice.put("alice/vision", "data", files: ["a.txt": Data("shared\n".utf8)])
            let bob = Session(client: client, token: try await accounts.addUser("bob", admin: false))
            #expect(try await bob.send(.post, "/api/v1/projects", json: ["entity": "bob", "name": "secret"]).status == .created)
            #expect(try await bob.send(.post, "/api/v1/projects/bob/secret/runs", json: WireRunStart(id: "bob-run")).status == .created)
            let use = try await bob.send(.post, "/api/v1/projects/bob/secret/runs/bob-run/uses", json: WireRunUse(project: "alice/vision", artifact: "data", version: "v0"))
            #expect(use.status == .ok)
            // A project bob may not read cannot be used (and is not named).
            #expect(try await alice.send(.post, "\(Self.vision)/runs", json: WireRunStart(id: "alice-run")).status == .created)
            #expect(try await alice.send(.post, "\(Self.vision)/runs/alice-run/uses", json: WireRunUse(project: "bob/secret", artifact: "x", version: "v0")).status == .notFound)
            _ = try await bob.put("bob/secret", "secret-model", files: ["m": Data("bob".utf8)], run: "bob-run")

            let path = "\(Self.vision)/artifacts/data/versions/v0/lineage?down=2"
            let asBob = try bob.decode(WireLineage.self, try await bob.send(.get, path))
            #expect(asBob.nodes.contains { $0.project == "bob/secret" && $0.name == "secret-model" })
            let asAlice = try alice.decode(WireLineage.self, try await alice.send(.get, path))
            #expect(!asAlice.nodes.contains { $0.project == "bob/secret" })
            #expect(!String(buffer: try await alice.send(.get, path).body).contains("secret-model"))
            // The run of a project alice may not read is not hers to see, even by its id.
            #expect(try await alice.send(.get, "\(Self.vision)/runs/bob-run").status == .notFound)
            #expect(try await alice.send(.get, "/api/v1/projects/bob/secret/runs/bob-run").status == .notFound)
        }
    }
}
