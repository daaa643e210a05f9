import ArtifactWire
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ProcessTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `arttui put/get --remote`, `push` and `pull` against a real `arttui-server` on PostgreSQL and
/// SeaweedFS (a fresh database and bucket each); skipped with a printed reason without them.
@Suite(.enabled(if: TwoServersEnvironment.enabled), .serialized, .childProcesses) struct TransferCommandTests {
    /// The built `arttui`, next to `arttui-server`.
    static var arttui: URL { AdminCommandTests.binary.deletingLastPathComponent().appendingPathComponent("arttui") }

    /// A scratch directory with the command line's store, cache and config inside it.
    final class Scratch: @unchecked Sendable {
        let root: URL
        let server: URL
        let client: TwoServersTests.Client
        /// `arttui --timeout` in seconds; nil for the command's own default.
        let commandTimeout: Int?
        /// Variables given to every `arttui` started after they are set (`ARTTUI_COMMIT_PART_FILES`, `ARTTUI_FAULT`).
        var environmentAdded: [String: String] = [:]
        var token: String { client.token }

        /// A scratch for `client` of `server`; commands wait `commandTimeout` seconds for a silent server
        /// (60 by default: on a loaded machine a slow answer is load, not what the test is about).
        init(server: URL, client: TwoServersTests.Client, commandTimeout: Int? = 60) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-xfer-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            self.server = server
            self.client = client
            self.commandTimeout = commandTimeout
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

        /// The environment of `arttui` as this user, on the store `store` and the cache `cache` (names under the root).
        private func environment(store: String, cache: String) -> [String: String] {
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ARTTUI_") }
            environment["ARTTUI_TOKEN"] = token
            environment["ARTTUI_STORE"] = path(store)
            environment["ARTTUI_CACHE_DIR"] = path(cache)
            environment["XDG_CONFIG_HOME"] = path("config")
            if let commandTimeout { environment["ARTTUI_TIMEOUT"] = "\(commandTimeout)" }
            return environment.merging(environmentAdded) { _, added in added }
        }

        /// Starts `arttui arguments` with the store `store` and the cache `cache` (names under the root).
        func start(_ arguments: [String], store: String = "store", cache: String = "cache") throws -> CapturedProcess {
            try CapturedProcess.start(
                TransferCommandTests.arttui.path, arguments, environment: environment(store: store, cache: cache),
                directory: root.path, outputs: root)
        }

        /// Runs `arttui arguments` to the end; requires success and returns stdout.
        @discardableResult
        func ok(_ arguments: [String], store: String = "store", cache: String = "cache",
                sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
            let (status, text, errors) = try await run(arguments, store: store, cache: cache)
            try #require(
                status == 0, "arttui \(arguments.joined(separator: " ")) failed: \(errors)\(text)", sourceLocation: sourceLocation)
            return text
        }

        /// Runs `arttui arguments` to the end; requires failure and returns stderr.
        func fails(_ arguments: [String], store: String = "store", cache: String = "cache",
                   sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
            let (status, text, errors) = try await run(arguments, store: store, cache: cache)
            try #require(
                status != 0, "arttui \(arguments.joined(separator: " ")) succeeded: \(text)", sourceLocation: sourceLocation)
            return errors
        }

        /// Runs `arttui arguments` to the end (at most 600 s): its exit status, stdout and stderr.
        func run(_ arguments: [String], store: String = "store", cache: String = "cache") async throws
            -> (status: Int32, stdout: String, stderr: String)
        {
            let command = try await CapturedProcess.run(
                TransferCommandTests.arttui.path, arguments, environment: environment(store: store, cache: cache),
                directory: root.path, timeout: 600)
            try #require(!command.timedOut, "arttui \(arguments.joined(separator: " ")) did not finish")
            return (command.termination.status, command.stdout, command.stderr)
        }

        func json(_ arguments: [String], store: String = "store", cache: String = "cache") async throws -> [String: Any] {
            let text = try await ok(arguments + ["--json"], store: store, cache: cache)
            return try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
        }

        /// Writes `files` (relative path → bytes) under `directory`.
        func tree(_ directory: String, _ files: [String: Data]) throws {
            for (relative, data) in files {
                let url = root.appendingPathComponent(directory).appendingPathComponent(relative)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
        }

        /// Every file under `directory`, by relative path.
        func contents(_ directory: String) throws -> [String: Data] {
            let base = root.appendingPathComponent(directory).resolvingSymlinksInPath()
            var files: [String: Data] = [:]
            let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])!
            for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
                let relative = String(url.resolvingSymlinksInPath().path.dropFirst(base.path.count + 1))
                files[relative] = try Data(contentsOf: url)
            }
            return files
        }

        /// The server's `/metrics` page.
        private func metrics() async throws -> String {
            let (data, _) = try await URLSession.shared.data(from: server.appendingPathComponent("metrics"))
            return String(decoding: data, as: UTF8.self)
        }

        /// A counter from the server's `/metrics`.
        func metric(_ name: String) async throws -> Int64 {
            let text = try await metrics()
            let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(name + " ") }, "no \(name) in /metrics")
            return try #require(Int64(line.split(separator: " ")[1]))
        }

        /// Requests the server has answered, of every method and status (each read of `/metrics` counts
        /// once it is answered, so one call here adds one to the next).
        func requestsAnswered() async throws -> Int64 {
            let text = try await metrics()
            return try text.split(separator: "\n").filter { $0.hasPrefix("arttui_http_requests_total{") }
                .reduce(0) { total, line in total + (try #require(Int64(line.split(separator: " ").last!))) }
        }
    }

    /// Random bytes (incompressible, so chunk sizes and sent bytes are what they seem).
    static func random(_ count: Int) -> Data {
        FileHandle(forReadingAtPath: "/dev/urandom")!.readData(ofLength: count)
    }

    static func withServer(_ body: @Sendable @escaping (Scratch) async throws -> Void) async throws {
        try await TwoServersTests.withServers(1) { servers, clients, _ in
            try await body(try Scratch(server: servers[0].url, client: clients[0]))
        }
    }

    @Test func putThenGetRoundTripsByteForByteAndAgainFromTheCache() async throws {
        try await Self.withServer { scratch in
            let remote = scratch.server.absoluteString
            let files: [String: Data] = [
                "big.bin": Self.random(3 << 20), "small/a.txt": Data("hello\n".utf8), "small/empty": Data(),
                "small/text.csv": Data((0..<20_000).map { "\($0),\($0 * $0)\n" }.joined().utf8),
            ]
            try scratch.tree("data", files)
            // Files changed within the stat cache's racy window (100 ms) of their reading are not
            // remembered, and an unchanged put that reads one again asks for the newest version again:
            // the count of requests below holds only for files older than that.
            try await Task.sleep(for: .milliseconds(150))
            let put = try await scratch.json(["put", "data", "-n", "root/shared/ds", "-a", "best", "-d", "first", "--remote", remote])
            #expect(put["created"] as? Bool == true)
            #expect(put["version"] as? String == "v0")
            #expect(put["fileCount"] as? Int == 4)
            #expect((put["aliases"] as? [String])?.sorted() == ["best", "latest"])
            // Unchanged: no new version, nothing read again (the stat cache) and nothing sent; the two
            // questions are the newest version's digest (it also shows the project exists) and whether
            // the caller may write there (a put is a write even when it makes no version).
            let packsBefore = try await scratch.metric("arttui_upload_packs_total")
            let requestsBefore = try await scratch.requestsAnswered()
            #expect(try await scratch.ok(["put", "data", "-n", "root/shared/ds", "--remote", remote])
                == "no changes: root/shared/ds:v0 already holds this content\n")
            let requestsAfter = try await scratch.requestsAnswered()
            #expect(requestsAfter - requestsBefore == 2 + 1, "two requests, and the /metrics read before them")
            #expect(try await scratch.metric("arttui_upload_packs_total") == packsBefore)

            // A project that does not exist yet is created (private), as a first local put creates one.
            let fresh = try await scratch.json(["put", "data", "-n", "root/fresh/ds", "--remote", remote])
            #expect(fresh["created"] as? Bool == true && fresh["project"] as? String == "root/fresh", "\(fresh)")

            // The default (--cache always) puts every file into the cache, the big one too.
            let get = try await scratch.json(["get", "root/shared/ds:best", "--root", "out", "--remote", remote])
            #expect(get["fromStore"] as? Int == 4)
            #expect(try scratch.contents("out") == files)
            // A second folder comes from the cache, with nothing fetched.
            let sentBefore = try await scratch.metric("arttui_chunk_records_sent_bytes_total")
            let again = try await scratch.json(["get", "root/shared/ds", "--root", "out2", "--remote", remote])
            #expect(again["fromCache"] as? Int == 4)
            #expect(try await scratch.metric("arttui_chunk_records_sent_bytes_total") == sentBefore)
            #expect(try scratch.contents("out2") == files)
        }
    }

    @Test func aGetOfManySmallFilesFetchesThemInSeveralBatchesAtOnceByteForByte() async throws {
        try await Self.withServer { scratch in
            let remote = scratch.server.absoluteString
            // Over 512 single-chunk files (one request's limit) and over 8 MiB of them (one batch's
            // bytes), some with the same content, so several batches stream in at once and a content
            // wanted twice is fetched for each of its files.
            var files: [String: Data] = [:]
            for index in 0..<1300 { files["many/f\(index).bin"] = Self.random(1 + (index * 37) % 4000) }
            for index in 0..<24 { files["mid/m\(index).bin"] = Self.random(400_000 + index * 1000) }
            let shared = Self.random(3000)
            for index in 0..<6 { files["same/s\(index).bin"] = shared }
            try scratch.tree("data", files)
            _ = try await scratch.json(["put", "data", "-n", "root/small/ds", "--remote", remote])
            let get = try await scratch.json(["get", "root/small/ds", "--root", "out", "--remote", remote])
            // Files of the same content after the first may come from the cache it went into.
            let fromStore = get["fromStore"] as? Int ?? 0
            #expect(fromStore >= files.count - 5 && fromStore + (get["fromCache"] as? Int ?? 0) == files.count, "\(get)")
            #expect(try scratch.contents("out") == files)
        }
    }

    @Test func filesOfAFewChunksAreFetchedInBatchesNotARequestEachByteForByte() async throws {
        try await Self.withServer { scratch in
            let remote = scratch.server.absoluteString
            // 3 MiB of random bytes is two to four chunks (1 MiB on average, 4 MiB at most); a block
            // repeated makes a file whose chunks come again within it; 9 MiB is past the batched size.
            var files: [String: Data] = [:]
            for index in 0..<16 { files["few/f\(index).bin"] = Self.random(3 << 20) }
            let block = Self.random(1_200_000)
            files["repeated.bin"] = block + block + block
            files["big.bin"] = Self.random(9 << 20)
            for index in 0..<40 { files["small/s\(index).txt"] = Data("small \(index)\n".utf8) }
            try scratch.tree("data", files)
            _ = try await scratch.json(["put", "data", "-n", "root/few/ds", "--remote", remote])
            let recordRequests = #"arttui_http_requests_total{method="POST",status="200"}"#
            let before = try await scratch.metric(recordRequests)
            let get = try await scratch.json(["get", "root/few/ds", "--root", "out", "--remote", remote])
            let requests = try await scratch.metric(recordRequests) - before
            #expect(get["fromStore"] as? Int == files.count, "\(get)")
            #expect(try scratch.contents("out") == files)
            // A request per file of several chunks would be 17 and more (and 2 for the big one); about
            // 52 MiB in batches of 8 MiB is 7, with a few more for chunks a worker wanted first.
            #expect(requests <= 12, "\(requests) records requests")
        }
    }

    @Test func aPutKilledMidUploadSendsOnlyTheMissingChunksWhenRunAgain() async throws {
        try await Self.withServer { scratch in
            // Kill -9 once the server has staged some packs, but before the commit.
            let (put, chunksBefore) = try await OutageStack.putUnderWay(scratch)
            await put.process.kill()
            let (status, _) = try await scratch.client.send("GET", "/api/v1/projects/root/shared/artifacts/big/versions")
            #expect(status == 404, "nothing of the killed put is visible")

            // Packs whose bodies had fully arrived are still checked and stored after the kill: the count
            // of staged chunks is taken once it has stood still for a second (a fixed 300 ms was too short at load).
            let (staged, resent, total) = try await OutageStack.rerunPut(scratch, scratch.client, countBefore: chunksBefore)
            try #require(staged > 0, "the put ended before any pack was staged")
            print("killed put: \(staged) chunks staged before kill -9, \(resent) sent by the re-run, \(total) in all")
            #expect(staged + resent == total, "the re-run sends exactly the chunks not staged before")
            #expect(resent < total)
        }
    }

    @Test func aPushKilledMidUploadSendsOnlyTheMissingChunksWhenRunAgain() async throws {
        try await Self.withServer { scratch in
            let remote = scratch.server.absoluteString
            try scratch.tree("data", ["big.bin": Self.random(64 << 20)])
            try await scratch.ok(["put", "data", "-n", "lin/big"])
            let push = ["push", "lin/big", "--to", remote, "--into", "root/shared", "--json"]
            let (killed, chunksBefore) = try await OutageStack.sendingUnderWay(scratch, push)
            await killed.process.kill()
            let (status, _) = try await scratch.client.send("GET", "/api/v1/projects/root/shared/artifacts/big/versions")
            #expect(status == 404, "nothing of the killed push is visible")

            let staged = try await OutageStack.settledUploadCount(scratch) - chunksBefore
            try #require(staged > 0, "the push ended before any pack was staged")
            let report = try await scratch.json(Array(push.dropLast()))
            let resent = try await scratch.metric("arttui_upload_chunks_total") - chunksBefore - staged
            print("killed push: \(staged) chunks staged before kill -9, \(resent) sent by the re-run")
            #expect(report["chunksSent"] as? Int == Int(resent), "the report counts what the re-run sent")
            let (_, manifest) = try await scratch.client.send("GET", "/api/v1/projects/root/shared/artifacts/big/versions/v0/manifest")
            let chunks = Int64(Set(try JSONDecoder().decode(WireManifest.self, from: manifest).contents.flatMap(\.chunks)).count)
            #expect(staged + resent == chunks, "the re-run sends exactly the chunks not staged before (\(staged) + \(resent) of \(chunks))")
            #expect(resent < chunks)
            try await scratch.ok(["get", "root/shared/big", "--root", "out", "--remote", remote], store: "fresh", cache: "cache2")
            #expect(try scratch.contents("out") == scratch.contents("data"))
        }
    }

    @Test func threeVersionsWithAliasesAndLineagePushedPulledAndPushedAgain() async throws {
        try await Self.withServer { scratch in
            let remote = scratch.server.absoluteString
            for index in 0..<3 {
                try scratch.tree("d", ["f.txt": Data("version \(index)\n".utf8), "r\(index).bin": Self.random(700_000)])
                let run = try await scratch.ok(["run", "start", "-p", "lin", "--id", "train\(index)", "--job-type", "train"])
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                try await scratch.ok(["put", "d", "-n", "lin/ds", "--run", run, "-d", "v\(index)", "--metadata", "{\"i\":\(index)}"])
                try await scratch.ok(["run", "finish", run])
            }
            try await scratch.ok(["use", "lin/ds:v0", "--run", "train2"])
            try await scratch.ok(["alias", "add", "lin/ds:v1", "best"])

            let pushed = try await scratch.json(["push", "lin/ds", "--to", remote, "--into", "root/shared"])
            #expect((pushed["versions"] as? [[String: Any]])?.map { $0["target"] as? String }
                == ["root/shared/ds:v0", "root/shared/ds:v1", "root/shared/ds:v2"])
            #expect((pushed["runs"] as? [String])?.sorted() == ["train0", "train1", "train2"])

            let pulled = try await scratch.json(["pull", "root/shared/ds", "--from", remote, "--into", "lin"], store: "fresh")
            #expect((pulled["versions"] as? [[String: Any]])?.allSatisfy { $0["created"] as? Bool == true } == true)
            for reference in ["v0", "v1", "v2"] {
                let original = try await scratch.json(["show", "lin/ds:\(reference)"])
                let copy = try await scratch.json(["show", "lin/ds:\(reference)"], store: "fresh")
                for key in ["digest", "aliases", "description", "metadata", "size", "fileCount", "loggedBy"] {
                    #expect("\(original[key] ?? "nil")" == "\(copy[key] ?? "nil")", "\(reference) \(key)")
                }
                try await scratch.ok(["get", "lin/ds:\(reference)", "--root", "a-\(reference)"])
                try await scratch.ok(["get", "lin/ds:\(reference)", "--root", "b-\(reference)"], store: "fresh", cache: "cache2")
                #expect(try scratch.contents("a-\(reference)") == scratch.contents("b-\(reference)"))
            }
            #expect(try await scratch.ok(["lineage", "lin/ds:v0"]) == scratch.ok(["lineage", "lin/ds:v0"], store: "fresh"))
            #expect(try await scratch.ok(["verify", "--read-data"], store: "fresh").contains("no damage"))

            // Again: nothing changes, nothing is sent; an alias moved locally is reported, not moved.
            let bytesBefore = try await scratch.metric("arttui_upload_bytes_total")
            try await scratch.ok(["alias", "add", "lin/ds:v2", "best"])
            let again = try await scratch.json(["push", "lin/ds", "--to", remote, "--into", "root/shared"])
            #expect((again["versions"] as? [[String: Any]])?.allSatisfy { $0["created"] as? Bool == false } == true)
            #expect(again["bytesSent"] as? Int == 0)
            #expect((again["runs"] as? [String]) == [])
            #expect((again["aliasConflicts"] as? [[String: Any]])?.first?["heldBy"] as? String == "root/shared/ds:v1")
            #expect(try await scratch.metric("arttui_upload_bytes_total") == bytesBefore)
            let moved = try await scratch.json(["push", "lin/ds:best", "--to", remote, "--into", "root/shared", "--move-aliases"])
            // Structured, as aliasConflicts is: a script reads the alias and the version without parsing "→".
            let set = try #require(moved["aliasesSet"] as? [[String: Any]])
            #expect(set.map { "\($0["alias"] ?? "nil") \($0["version"] ?? "nil")" } == ["best root/shared/ds:v2"])
            #expect(set.allSatisfy { $0.count == 2 })
            // The text report still reads as a sentence; moving it back from v1 names the alias the same way.
            try await scratch.ok(["alias", "add", "lin/ds:v1", "best"])
            let text = try await scratch.ok(["push", "lin/ds:best", "--to", remote, "--into", "root/shared", "--move-aliases"])
            #expect(text.contains("alias best → root/shared/ds:v1\n"), "\(text)")
        }
    }

    @Test func pendingVersionsAreListedToWritersAndNotCopiedUntilFinished() async throws {
        try await Self.withServer { scratch in
            let remote = scratch.server.absoluteString
            try scratch.tree("shard0", ["part-0.txt": Data("zero\n".utf8)])
            try scratch.tree("shard1", ["part-1.txt": Data("one\n".utf8)])
            // Only a pending version: pushing the artifact or its :pending fails naming finish; nothing is created.
            try await scratch.ok(["put", "shard0", "-n", "par/shards", "--upsert", "--distributed-id", "g1"])
            for address in ["par/shards", "par/shards:pending"] {
                let refused = try await scratch.fails(["push", address, "--to", remote, "--into", "root/par"])
                #expect(refused == "arttui: error: par/shards in the local store is pending, and a pending version is copied "
                    + "only once finished: commit it with arttui finish -n par/shards --distributed-id ID, then copy again\n",
                    "\(refused)")
            }
            let (status, _) = try await scratch.client.send("GET", "/api/v1/projects/root/par/artifacts/shards/versions")
            #expect(status == 404, "a refused push leaves nothing on the server")

            // Beside committed versions, the pending one is left out and said so.
            try await scratch.ok(["finish", "-n", "par/shards", "--distributed-id", "g1"])
            try await scratch.ok(["put", "shard1", "-n", "par/shards", "--upsert", "--distributed-id", "g2"])
            let pushed = try await scratch.json(["push", "par/shards", "--to", remote, "--into", "root/par"])
            #expect((pushed["versions"] as? [[String: Any]])?.map { $0["target"] as? String } == ["root/par/shards:v0"])
            let left = pushed["pendingLeftOut"] as? [[String: Any]]
            #expect(left?.count == 1 && left?.first?["artifact"] as? String == "par/shards" && left?.first?["count"] as? Int == 1,
                    "\(pushed)")
            #expect(try await scratch.ok(["push", "par/shards", "--to", remote, "--into", "root/par"])
                .contains("par/shards: 1 pending version not copied"))

            // On the server: a pending version there is listed by ls --pending, and pull leaves it out too.
            try await scratch.ok(["put", "shard1", "-n", "root/par/shards", "--upsert", "--distributed-id", "g3", "--remote", remote])
            let listed = try await scratch.ok(["ls", "root/par/shards", "--pending", "--remote", remote])
            let rows = listed.split(separator: "\n").dropFirst().map { $0.split(separator: " ").first.map(String.init) }
            #expect(rows == ["pending", "v0"], "\(listed)")
            #expect(try await scratch.ok(["ls", "root/par/shards", "--remote", remote]).split(separator: "\n").count == 2)
            let pulled = try await scratch.json(["pull", "root/par/shards", "--from", remote, "--into", "copy"], store: "fresh")
            #expect((pulled["versions"] as? [[String: Any]])?.map { $0["target"] as? String } == ["copy/shards:v0"])
            #expect((pulled["pendingLeftOut"] as? [[String: Any]])?.first?["artifact"] as? String == "root/par/shards")
            let pendingPull = try await scratch.fails(["pull", "root/par/shards:pending", "--from", remote, "--into", "copy"], store: "fresh")
            #expect(pendingPull.contains("root/par/shards on \(remote) is pending") && pendingPull.contains("arttui finish"),
                    "\(pendingPull)")
        }
    }

    /// A put without -t keeps the artifact's type on a server as in a local store: the remote put read
    /// it from the newest version only, so an upsert (which asks for none), or a put to an artifact with
    /// only a pending version, sent `dataset` and was refused where the local put was not.
    @Test func aRemotePutWithoutATypeKeepsTheArtifactsOwnAsALocalOneDoes() async throws {
        try await Self.withServer { scratch in
            let remote = scratch.server.absoluteString
            try scratch.tree("ckpt0", ["weights.bin": Data("epoch 0".utf8)])
            try scratch.tree("ckpt1", ["weights.bin": Data("epoch 1".utf8)])
            try scratch.tree("ckpt2", ["weights.bin": Data("epoch 2".utf8)])
            try scratch.tree("shard1", ["optimizer.bin": Data("state 1".utf8)])
            try await scratch.ok(["put", "ckpt0", "-n", "root/typed/m", "-t", "model", "--upsert", "--distributed-id", "g1",
                                  "--remote", remote])
            // Only a pending version so far, which an upsert without -t adds to.
            try await scratch.ok(["put", "shard1", "-n", "root/typed/m", "--upsert", "--distributed-id", "g1", "--remote", remote])
            try await scratch.ok(["finish", "-n", "root/typed/m", "--distributed-id", "g1", "--remote", remote])
            let put = try await scratch.json(["put", "ckpt2", "-n", "root/typed/m", "--remote", remote])
            #expect(put["type"] as? String == "model" && put["version"] as? String == "v1", "\(put)")
            try await scratch.ok(["put", "ckpt0", "-n", "root/typed/m", "--upsert", "--distributed-id", "g2", "--remote", remote])
            let pending = try await scratch.ok(["ls", "root/typed/m", "--pending", "--remote", remote])
            #expect(pending.split(separator: "\n").count == 4, "a header, the pending version, v1 and v0: \(pending)")
            // A new artifact is still a dataset, and a -t other than the artifact's is still refused.
            #expect(try await scratch.json(["put", "ckpt0", "-n", "root/typed/d", "--remote", remote])["type"] as? String == "dataset")
            let refused = try await scratch.fails(["put", "ckpt1", "-n", "root/typed/m", "-t", "dataset", "--remote", remote])
            #expect(refused.contains("has type \"model\""), "\(refused)")
            // An artifact whose every version was deleted keeps its type, as locally: the put sent
            // `dataset` and was refused.
            try await scratch.ok(["put", "ckpt1", "-n", "root/typed/gone", "-t", "model", "--remote", remote])
            try await scratch.ok(["rm", "root/typed/gone:v0", "--remote", remote])
            let again = try await scratch.json(["put", "ckpt2", "-n", "root/typed/gone", "--remote", remote])
            #expect(again["type"] as? String == "model" && again["version"] as? String == "v1", "\(again)")
        }
    }

    /// The warning of an unchanged put suggests an edit to apply what it dropped: without --remote, that
    /// command went to the local store, which has no such version.
    @Test func anUnchangedRemotePutSuggestsAnEditThatWorksAsPrinted() async throws {
        try await Self.withServer { scratch in
            let remote = scratch.server.absoluteString
            try scratch.tree("data", ["f.txt": Data("same".utf8)])
            try await scratch.ok(["put", "data", "-n", "root/warned/ds", "-d", "first", "--remote", remote])
            let (status, _, warning) = try await scratch.run(["put", "data", "-n", "root/warned/ds", "-d", "second",
                                                              "--remote", remote])
            #expect(status == 0 && warning.hasPrefix("arttui: warning: the description given was not applied"), "\(warning)")
            let start = try #require(warning.range(of: "(arttui ")?.upperBound, "\(warning)")
            let end = try #require(warning.range(of: " changes them)")?.lowerBound, "\(warning)")
            // The suggestion as printed, with the placeholder filled in.
            let suggested = warning[start..<end].split(separator: " ").map(String.init)
                .map { $0 == "TEXT" ? "second" : $0 }
            #expect(suggested.contains("--remote"), "\(warning)")
            try await scratch.ok(suggested)
            let shown = try await scratch.json(["show", "root/warned/ds:v0", "--remote", remote])
            #expect(shown["description"] as? String == "second", "\(shown)")
        }
    }

    /// A viewer sees no pending versions (only writers list them), so its pull of an artifact with one
    /// copies the committed versions and says nothing of the pending one it cannot see.
    @Test func aViewerPullsTheCommittedVersionsOfAnArtifactWithAPendingOne() async throws {
        try await TwoServersTests.withServers(1) { servers, clients, environment in
            let viewerToken = try await TwoServersTests.teamWithViewer(environment: environment)
            let writer = try Scratch(server: servers[0].url, client: clients[0])
            let viewer = try Scratch(server: servers[0].url, client: TwoServersTests.Client(base: clients[0].base, token: viewerToken))
            let remote = servers[0].url.absoluteString
            try await writer.ok(["project", "create", "team/shared", "--visibility", "private", "--remote", remote])
            try writer.tree("v0", ["a.txt": Data("committed\n".utf8)])
            try writer.tree("part", ["b.txt": Data("pending\n".utf8)])
            try await writer.ok(["put", "v0", "-n", "team/shared/ds", "--remote", remote])
            try await writer.ok(["put", "part", "-n", "team/shared/ds", "--upsert", "--distributed-id", "g1", "--remote", remote])
            #expect(try await writer.ok(["ls", "team/shared/ds", "--pending", "--remote", remote]).contains("pending"))

            let pulled = try await viewer.json(["pull", "team/shared/ds", "--from", remote, "--into", "mine"])
            #expect((pulled["versions"] as? [[String: Any]])?.map { $0["target"] as? String } == ["mine/ds:v0"], "\(pulled)")
            #expect((pulled["pendingLeftOut"] as? [[String: Any]] ?? []).isEmpty, "\(pulled)")
            try await viewer.ok(["get", "mine/ds", "--root", "out"])
            #expect(try viewer.contents("out") == ["a.txt": Data("committed\n".utf8)])
            // Asking for the pending version by name is refused as if it did not exist.
            let refused = try await viewer.fails(["pull", "team/shared/ds:pending", "--from", remote, "--into", "mine"])
            #expect(!refused.isEmpty && !refused.contains("arttui finish"), "\(refused)")
        }
    }

    @Test func referenceEntriesGoThroughAServerAndAreFetchedAndCheckedByTheClient() async throws {
        try await Self.withServer { scratch in
            let remote = scratch.server.absoluteString
            try scratch.tree("data", ["stored.txt": Data("kept in the store\n".utf8)])
            try scratch.tree("outside", ["a.txt": Data("referenced a\n".utf8), "sub/b.txt": Data("referenced b\n".utf8)])
            let outside = "file://" + scratch.path("outside")
            let put = try await scratch.json(["put", "data", "-n", "root/refs/mixed", "--reference", outside, "--remote", remote])
            #expect(put["created"] as? Bool == true && put["fileCount"] as? Int == 3, "\(put)")
            // The same tree put locally has the same digest: the manifest is the same.
            let local = try await scratch.json(["put", "data", "-n", "refs/mixed", "--reference", outside])
            #expect(local["digest"] as? String == put["digest"] as? String)
            // Unchanged: no new version.
            #expect(try await scratch.ok(["put", "data", "-n", "root/refs/mixed", "--reference", outside, "--remote", remote])
                .hasPrefix("no changes: root/refs/mixed:v0"))

            // get fetches the references on this machine and checks them, as a local get does.
            let got = try await scratch.json(["get", "root/refs/mixed", "--root", "out", "--remote", remote])
            #expect(got["fromReferences"] as? Int == 2 && got["files"] as? Int == 3, "\(got)")
            #expect(try scratch.contents("out") == [
                "stored.txt": Data("kept in the store\n".utf8), "a.txt": Data("referenced a\n".utf8),
                "sub/b.txt": Data("referenced b\n".utf8),
            ])
            let text = try await scratch.ok(["get", "root/refs/mixed", "--root", "out-text", "--remote", remote])
            #expect(text.hasSuffix(", 2 from references)\n"), "\(text)")

            // Push and pull carry reference entries; the digests match on every side.
            let pushed = try await scratch.json(["push", "refs/mixed", "--to", remote, "--into", "root/pushed"])
            #expect((pushed["versions"] as? [[String: Any]])?.first?["digest"] as? String == put["digest"] as? String)
            let pulled = try await scratch.json(["pull", "root/pushed/mixed", "--from", remote, "--into", "refs"], store: "fresh")
            #expect((pulled["versions"] as? [[String: Any]])?.first?["created"] as? Bool == true, "\(pulled)")
            let copy = try await scratch.json(["show", "refs/mixed", "--files"], store: "fresh")
            #expect(copy["digest"] as? String == put["digest"] as? String)
            let entries = (copy["files"] as? [[String: Any]]) ?? []
            #expect(entries.compactMap { $0["uri"] as? String ?? ($0["reference"] as? [String: Any])?["uri"] as? String }.sorted()
                == [outside + "/a.txt", outside + "/sub/b.txt"], "\(entries)")
            try await scratch.ok(["get", "refs/mixed", "--root", "pulled-out"], store: "fresh", cache: "cache2")
            #expect(try scratch.contents("pulled-out") == scratch.contents("out"))

            // A source that changed is refused with nothing taken, as locally; references stay out of pending versions.
            try Data("changed\n".utf8).write(to: URL(fileURLWithPath: scratch.path("outside/a.txt")))
            let changed = try await scratch.fails(["get", "root/refs/mixed", "--root", "out-changed", "--remote", remote])
            #expect(changed.contains("a.txt") && changed.contains("--allow-changed"), "\(changed)")
            let upsert = try await scratch.fails(["put", "data", "-n", "root/refs/mixed", "--reference", outside, "--upsert",
                                                  "--distributed-id", "g", "--remote", remote])
            #expect(upsert == "arttui: error: references cannot be added to a pending version (--upsert); put them in one version\n",
                    "\(upsert)")
        }
    }
}
