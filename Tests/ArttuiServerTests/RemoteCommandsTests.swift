import ArtifactStore
import ArtifactWire
import Foundation
import ProcessTestSupport
import Testing

/// The `arttui` command line against a real team stack (PostgreSQL, an S3 store, `arttui-server`):
/// the README's tour commands, run with `--remote`, print what they print locally apart from the
/// entity prefix and times; a viewer's `rm` is refused with nothing changed; "permission denied" and
/// "not found" are distinct. Skipped, with the reason printed, without ARTTUI_TEST_DATABASE_URL and
/// ARTTUI_TEST_S3_ENDPOINT.
@Suite(.enabled(if: TwoServersEnvironment.enabled), .serialized, .childProcesses) struct RemoteCommandsTests {
    /// The `arttui` executable built beside `arttui-server`.
    static var arttui: URL { AdminCommandTests.binary.deletingLastPathComponent().appendingPathComponent("arttui") }

    /// One finished `arttui` run.
    struct Outcome: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "status \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
    }

    /// Runs `arttui` with a home of its own under `home`.
    /// Runs `arttui` with a home of its own under `home`, to the end (at most 120 s).
    static func arttui(_ arguments: [String], home: URL, environment extra: [String: String] = [:]) async throws -> Outcome {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ARTTUI_") && !$0.key.hasPrefix("XDG_") }
        environment["HOME"] = home.path
        environment["TZ"] = "UTC"
        for (key, value) in extra { environment[key] = value }
        let command = try await CapturedProcess.run(
            Self.arttui.path, arguments, environment: environment, directory: home.path, outputs: home, timeout: 120)
        try #require(!command.timedOut, "arttui \(arguments.joined(separator: " ")) did not finish")
        return Outcome(status: command.termination.status, stdout: command.stdout, stderr: command.stderr)
    }

    /// Text with the entity prefix, times and column padding taken out, so local and server outputs compare.
    static func normalized(_ text: String, entity: String) -> String {
        var text = text.replacingOccurrences(of: "\(entity)/", with: "")
        for pattern in [#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, #"\d{4}-\d\d-\d\d \d\d:\d\d"#, " +"] {
            let replacement = pattern == " +" ? " " : "TIME"
            text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return text
    }

    /// The files of the tour's two versions: the second adds files to the first.
    static let first: [String: Data] = Dictionary(uniqueKeysWithValues: (0..<6).map {
        ("digit-\($0).txt", Data("digit \($0)\n".utf8 + Data(repeating: UInt8($0), count: 3000 + $0)))
    })
    static let second: [String: Data] = first.merging(["extra.txt": Data("more digits\n".utf8)]) { $1 }
    static let model: [String: Data] = [
        "weights.bin": Data((0..<5000).map { UInt8($0 % 251) }),
        "scores.table.json": Data(#"{"_type": "table", "columns": ["split", "accuracy"], "data": [["valid", 0.834], ["test", 0.827]]}"#.utf8),
    ]
    static let shard: [String: Data] = ["part-0.txt": Data("shard zero\n".utf8)]

    @Test func tourCommandsPrintTheSameLocallyAndOnAServerAndRefusalsAreDistinct() async throws {
        try await TwoServersTests.withServers(1) { servers, clients, environment in
            let home = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-remote-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: home) }
            let root = clients[0]
            let url = servers[0].url.absoluteString

            // Accounts: root administers the team; vic only views it; otto is outside it.
            func admin(_ arguments: [String]) async throws -> String {
                try await TwoServersTests.admin(arguments, environment: environment)
            }
            let viewerToken = try await TwoServersTests.teamWithViewer(environment: environment)
            let outsiderToken = try await admin(["admin", "user", "add", "otto"])
            let (created, _) = try await root.send(
                "POST", "/api/v1/projects", json: WireProjectCreation(entity: "team", name: "vision", visibility: "private"))
            try #require(created == 201)
            let (second, _) = try await root.send(
                "POST", "/api/v1/projects", json: WireProjectCreation(entity: "team", name: "vision2", visibility: "private"))
            try #require(second == 201)

            // The same history locally and on the server: runs through the command line on both sides,
            // versions through `put` locally and through the upload protocol on the server.
            let store = home.appendingPathComponent("store").path
            let cache = home.appendingPathComponent("cache").path
            func local(_ arguments: [String]) async throws -> Outcome {
                try await Self.arttui(arguments + ["--store", store, "--cache-dir", cache], home: home)
            }
            func remote(_ arguments: [String], token: String = root.token) async throws -> Outcome {
                try await Self.arttui(["--remote", url] + arguments + ["--cache-dir", cache], home: home,
                                      environment: ["ARTTUI_TOKEN": token])
            }
            func write(_ name: String, _ files: [String: Data]) throws -> String {
                let directory = home.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                for (path, data) in files { try data.write(to: directory.appendingPathComponent(path)) }
                return directory.path
            }
            func upload(_ artifact: String, _ files: [String: Data], type: String, description: String? = nil,
                        metadata: [String: JSONValue]? = nil, aliases: [String]? = nil, run: String? = nil,
                        distributedID: String? = nil) async throws {
                let prepared = PreparedUpload(files: files)
                let (upload, _) = try await root.stage("team/vision", prepared)
                let commit = prepared.commit(
                    artifact: artifact, type: type, description: description, metadata: metadata, aliases: aliases, run: run,
                    distributedID: distributedID)
                let (status, body) = try await root.send("POST", "/api/v1/projects/team/vision/uploads/\(upload)/commit", json: commit)
                try #require(status == 201 || status == 200, "\(String(decoding: body, as: UTF8.self))")
            }
            let start = ["run", "start", "--id", "train1", "--job-type", "train", "--sweep", "sw", "--config", #"{"lr": 0.1}"#]
            try #require(try await local(start + ["-p", "vision"]).status == 0)
            try #require(try await remote(start + ["-p", "team/vision"]).status == 0)

            let firstDirectory = try write("first", Self.first)
            let secondDirectory = try write("second", Self.second)
            let modelDirectory = try write("model", Self.model)
            try #require(try await local(["put", firstDirectory, "-n", "vision/mnist", "-t", "dataset", "-d", "50 digits",
                                          "--metadata", #"{"classes": 10}"#]).status == 0)
            try #require(try await local(["put", secondDirectory, "-n", "vision/mnist", "-a", "best"]).status == 0)
            try #require(try await local(["put", modelDirectory, "-n", "vision/model", "-t", "model", "--run", "train1"]).status == 0)
            try await upload("mnist", Self.first, type: "dataset", description: "50 digits", metadata: ["classes": .int(10)])
            try await upload("mnist", Self.second, type: "dataset", aliases: ["best"])
            try await upload("model", Self.model, type: "model", run: "train1")
            let shardDirectory = try write("shard", Self.shard)
            try #require(try await local(["put", shardDirectory, "-n", "vision/shards", "-t", "dataset", "--upsert",
                                          "--distributed-id", "g1"]).status == 0)
            try await upload("shards", Self.shard, type: "dataset", distributedID: "g1")
            let lateDirectory = try write("late", ["part-1.txt": Data("shard one\n".utf8)])
            let lateFile = try write("late-entry", ["part-2.txt": Data("shard two\n".utf8)]) + "/part-2.txt"

            // Each pair: the local command, the same command on the server (the project as team/vision).
            let pairs: [([String], [String])] = [
                (["use", "vision/mnist:v1", "--run", "train1"], ["use", "team/vision/mnist:v1", "--run", "train1"]),
                (["run", "log", "train1", "acc=0.9"], ["run", "log", "train1", "acc=0.9"]),
                (["run", "finish", "train1"], ["run", "finish", "train1"]),
                (["ls", "vision"], ["ls", "team/vision"]),
                (["ls", "vision/mnist"], ["ls", "team/vision/mnist"]),
                (["ls", "vision/mnist", "--json"], ["ls", "team/vision/mnist", "--json"]),
                (["find", "vision", "--where", "classes = 10"], ["find", "team/vision", "--where", "classes = 10"]),
                (["find", "vision", "--type", "dataset", "--sort", "files", "--limit", "1"],
                 ["find", "team/vision", "--type", "dataset", "--sort", "files", "--limit", "1"]),
                (["find", "vision", "--alias", "best", "--json"], ["find", "team/vision", "--alias", "best", "--json"]),
                (["find", "--logged-by", "train1", "--json"], ["find", "--logged-by", "train1", "--json"]),
                (["find", "vision", "--where", "classes >"], ["find", "team/vision", "--where", "classes >"]),
                (["find", "vision", "--where", "classes = 11"], ["find", "team/vision", "--where", "classes = 11"]),
                (["show", "vision/mnist:best"], ["show", "team/vision/mnist:best"]),
                (["show", "vision/mnist:v0", "--files", "--json"], ["show", "team/vision/mnist:v0", "--files", "--json"]),
                (["lineage", "vision/model:v0"], ["lineage", "team/vision/model:v0"]),
                (["lineage", "vision/model:v0", "--json"], ["lineage", "team/vision/model:v0", "--json"]),
                (["runs", "ls", "vision"], ["runs", "ls", "team/vision"]),
                (["run", "show", "train1"], ["run", "show", "train1"]),
                (["sweep", "best", "vision", "sw", "--metric", "acc"], ["sweep", "best", "team/vision", "sw", "--metric", "acc"]),
                (["show", "vision/model", "--table", "scores"], ["show", "team/vision/model", "--table", "scores"]),
                (["diff", "vision/mnist:v1"], ["diff", "team/vision/mnist:v1"]),
                (["diff", "vision/mnist:best", "v0", "--json"], ["diff", "team/vision/mnist:best", "v0", "--json"]),
                // The pending version is listed (first) to a writer, as locally.
                (["ls", "vision/shards", "--pending"], ["ls", "team/vision/shards", "--pending"]),
                (["ls", "vision/shards", "--pending", "--json"], ["ls", "team/vision/shards", "--pending", "--json"]),
                (["ls", "vision/mnist", "--pending", "--limit", "1"], ["ls", "team/vision/mnist", "--pending", "--limit", "1"]),
                // finish adds files on both sides: a path and an --entry, uploaded into the pending version.
                (["finish", "-n", "vision/shards", "--distributed-id", "g1", lateDirectory, "--entry", "late/part-2.txt=\(lateFile)"],
                 ["finish", "-n", "team/vision/shards", "--distributed-id", "g1", lateDirectory, "--entry", "late/part-2.txt=\(lateFile)"]),
                (["ls", "vision/shards"], ["ls", "team/vision/shards"]),
                (["show", "vision/shards:v0", "--files", "--json"], ["show", "team/vision/shards:v0", "--files", "--json"]),
                (["run", "start", "-p", "vision", "--id", "eval1", "--json"], ["run", "start", "-p", "team/vision", "--id", "eval1", "--json"]),
                (["use", "vision/model", "--run", "eval1", "--json"], ["use", "team/vision/model", "--run", "eval1", "--json"]),
                (["run", "show", "eval1", "--json"], ["run", "show", "eval1", "--json"]),
                // Run ids are unique in a store as on a server: another project's id is refused alike, resumed or not.
                (["run", "start", "-p", "vision2", "--id", "train1"], ["run", "start", "-p", "team/vision2", "--id", "train1"]),
                (["run", "start", "-p", "vision2", "--id", "train1", "--resume", "allow"],
                 ["run", "start", "-p", "team/vision2", "--id", "train1", "--resume", "allow"]),
                // A put as another type is refused with the same words (and leaves nothing on the server).
                (["put", modelDirectory, "-n", "vision/mnist", "-t", "model"], ["put", modelDirectory, "-n", "team/vision/mnist", "-t", "model"]),
                (["sweep", "best", "vision", "sw", "--metric", "acc", "--json"],
                 ["sweep", "best", "team/vision", "sw", "--metric", "acc", "--json"]),
                (["edit", "vision/mnist:v1", "--alias", "gold", "--remove-alias", "best"],
                 ["edit", "team/vision/mnist:v1", "--alias", "gold", "--remove-alias", "best"]),
                (["alias", "add", "vision/mnist:v0", "baseline"], ["alias", "add", "team/vision/mnist:v0", "baseline"]),
                (["alias", "add", "vision/mnist:v1", "baseline"], ["alias", "add", "team/vision/mnist:v1", "baseline"]),
                (["edit", "vision/mnist:baseline", "--set", "reviewed=true", "-d", "50 digits, reviewed"],
                 ["edit", "team/vision/mnist:baseline", "--set", "reviewed=true", "-d", "50 digits, reviewed"]),
                (["show", "vision/mnist:v1", "--json"], ["show", "team/vision/mnist:v1", "--json"]),
                (["rm", "vision/mnist:v1"], ["rm", "team/vision/mnist:v1"]),
                (["prune", "vision", "--dry-run"], ["prune", "team/vision", "--dry-run"]),
                (["alias", "rm", "vision/mnist", "baseline"], ["alias", "rm", "team/vision/mnist", "baseline"]),
                (["show", "vision/nothing"], ["show", "team/vision/nothing"]),
                (["rm", "vision/mnist:v0"], ["rm", "team/vision/mnist:v0"]),
                (["ls", "vision/mnist"], ["ls", "team/vision/mnist"]),
            ]
            for (localArguments, remoteArguments) in pairs {
                let here = try await local(localArguments)
                let there = try await remote(remoteArguments)
                #expect(here.status == there.status, "\(localArguments): \(here) vs \(there)")
                #expect(Self.normalized(here.stdout, entity: "team") == Self.normalized(there.stdout, entity: "team"),
                        "\(localArguments)\nlocal:\n\(here.stdout)\nserver:\n\(there.stdout)")
                #expect(Self.normalized(here.stderr, entity: "team") == Self.normalized(there.stderr, entity: "team"),
                        "\(localArguments)\nlocal:\n\(here.stderr)\nserver:\n\(there.stderr)")
                #expect(!there.stdout.contains(root.token) && !there.stderr.contains(root.token))
            }
            // The server also lists root/shared; the team's project reads as the local one does.
            let projects = try await local(["ls"]).stdout.split(separator: "\n").map { Self.normalized(String($0), entity: "team") }
            let remoteListing = try await remote(["ls"])
            #expect(remoteListing.status == 0, "\(remoteListing)")
            let remoteProjects = remoteListing.stdout.split(separator: "\n").map { Self.normalized(String($0), entity: "team") }
            #expect(projects.count == 2 && remoteProjects.contains(projects[1]), "\(projects) vs \(remoteProjects)")
            // Pending versions are unfinished work of the project's writers: a viewer is refused them, not
            // answered without them.
            let pending = try await remote(["ls", "team/vision/shards", "--pending"], token: viewerToken)
            #expect(pending.status != 0, "\(pending)")
            #expect(pending.stderr
                == "arttui: error: permission denied: only those who may write to project team/vision see its pending versions\n",
                "\(pending)")
            #expect(try await remote(["ls", "team/vision/shards"], token: viewerToken).status == 0)
            let verified = try await remote(["verify", "team/vision", "--read-data"])
            #expect(verified.status == 0 && verified.stdout.contains(": no damage"), "\(verified)")

            // A viewer reads but may not delete; nothing changes. An outsider is told the project does not exist.
            let before = try await remote(["show", "team/vision/mnist:v1", "--json"])
            try #require(before.status == 0, "\(before)")
            let refused = try await remote(["rm", "team/vision/mnist:v1"], token: viewerToken)
            #expect(refused.status != 0)
            #expect(refused.stderr == "arttui: error: permission denied: you may read but not write to project team/vision\n",
                    "\(refused)")
            #expect(try await remote(["show", "team/vision/mnist:v1", "--json"]).stdout == before.stdout)
            #expect(try await remote(["show", "team/vision/mnist:v1", "--json"], token: viewerToken).stdout == before.stdout)
            // A put is a write even when the content is the newest version's: a viewer's was answered
            // "no changes" and exit 0, as if it could have written.
            let unchanged = try await remote(["put", secondDirectory, "-n", "team/vision/mnist"], token: viewerToken)
            #expect(unchanged.status == 1 && unchanged.stdout.isEmpty, "\(unchanged)")
            #expect(unchanged.stderr == "arttui: error: permission denied: you may read but not write to project team/vision\n",
                    "\(unchanged)")
            // Members write but only the team's admins change a project's visibility: the refusal says so.
            let memberToken = try await admin(["admin", "user", "add", "mia"])
            _ = try await admin(["admin", "team", "member", "team", "mia", "--role", "member"])
            func setVisibility(token: String) async throws -> Outcome {
                try await Self.arttui(["project", "set", "team/vision", "--visibility", "public", "--remote", url], home: home,
                                      environment: ["ARTTUI_TOKEN": token])
            }
            let byMember = try await setVisibility(token: memberToken)
            #expect(byMember.stderr == "arttui: error: permission denied: only admins of team may change the visibility of "
                + "project team/vision; you may read and write it\n", "\(byMember)")
            let byViewer = try await setVisibility(token: viewerToken)
            #expect(byViewer.stderr == "arttui: error: permission denied: only admins of team may change the visibility of "
                + "project team/vision; you may read it\n", "\(byViewer)")
            let hidden = try await remote(["rm", "team/vision/mnist:v1"], token: outsiderToken)
            #expect(hidden.status != 0)
            #expect(hidden.stderr == "arttui: error: project \"team/vision\" not found\n", "\(hidden)")
            // Signed out, ENTITY/PROJECT of a project one may not read is not found too: it read as
            // PROJECT/NAME of one's own entity, and failed for the want of one.
            let signedOut = try await Self.arttui(["--remote", url, "ls", "team/vision", "--cache-dir", cache], home: home)
            #expect(signedOut.status == 1)
            #expect(signedOut.stderr == "arttui: error: project \"team/vision\" not found\n", "\(signedOut)")
            #expect(try await remote(["show", "team/vision/mnist:v1", "--json"]).stdout == before.stdout)
            for outcome in [refused, hidden] {
                #expect(!outcome.stderr.contains(viewerToken) && !outcome.stderr.contains(outsiderToken))
            }
        }
    }

    /// The README's tour (its commands as written there), run in a home of its own locally and
    /// with `--remote` against a server, where `vision` is the signed-in user's `root/vision`.
    @Test func theReadmeTourRepeatedWithRemotePrintsTheSameApartFromEntityAndTimes() async throws {
        try await TwoServersTests.withServers(1) { servers, clients, _ in
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-tour-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: base) }
            let localHome = base.appendingPathComponent("local")
            let remoteHome = base.appendingPathComponent("remote")
            let url = servers[0].url.absoluteString
            let token = clients[0].token
            // The tour's data set: 51 files, then 5 more under the same directory.
            for home in [localHome, remoteHome] {
                let mnist = home.appendingPathComponent("mnist")
                try FileManager.default.createDirectory(at: mnist, withIntermediateDirectories: true)
                for index in 0..<51 {
                    try Data("digit \(index)\n".utf8 + Data(repeating: UInt8(index), count: 5000 + index))
                        .write(to: mnist.appendingPathComponent("digit-\(index).txt"))
                }
            }
            func addFiles(_ home: URL) throws {
                for index in 51..<56 {
                    try Data("digit \(index)\n".utf8 + Data(repeating: UInt8(index), count: 4000 + index))
                        .write(to: home.appendingPathComponent("mnist/digit-\(index).txt"))
                }
            }
            let created = try await Self.arttui(["--remote", url, "project", "create", "vision", "--visibility", "private"],
                                                home: remoteHome, environment: ["ARTTUI_TOKEN": token])
            try #require(created.status == 0, "\(created)")

            let tour: [[String]] = [
                ["put", "mnist", "-n", "vision/mnist", "-t", "dataset", "-d", "50 digits",
                 "--metadata", #"{"source": "scan-2024", "classes": 10}"#],
                ["put", "mnist", "-n", "vision/mnist", "-a", "best"],
                ["put", "mnist", "-n", "vision/mnist"],
                ["ls", "vision"],
                ["ls", "vision/mnist"],
                ["show", "vision/mnist:best"],
                ["get", "vision/mnist:best", "--root", "mnist-best"],
                ["get", "vision/mnist"],
                ["alias", "add", "vision/mnist:v0", "baseline"],
                ["edit", "vision/mnist:baseline", "--set", "reviewed=true", "-d", "50 digits, reviewed"],
                ["find", "vision", "--where", "reviewed = true"],
                ["rm", "vision/mnist:v0"],
                ["prune", "vision", "--dry-run"],
                ["cache", "size"],
                ["cache", "cleanup", "100KB"],
                ["cache", "cleanup", "10gigs"],
            ]
            for (step, arguments) in tour.enumerated() {
                if step == 1 {
                    try addFiles(localHome)
                    try addFiles(remoteHome)
                }
                let here = try await Self.arttui(arguments, home: localHome)
                let there = try await Self.arttui(["--remote", url] + arguments, home: remoteHome, environment: ["ARTTUI_TOKEN": token])
                // Each side has a home of its own; the tour's paths are under it.
                func normalized(_ text: String, home: URL) -> String {
                    Self.normalized(text.replacingOccurrences(of: home.path, with: "~"), entity: "root")
                }
                #expect(here.status == there.status, "\(arguments): \(here) vs \(there)")
                #expect(normalized(here.stdout, home: localHome) == normalized(there.stdout, home: remoteHome),
                        "\(arguments)\nlocal:\n\(here.stdout)\nserver:\n\(there.stdout)")
                #expect(normalized(here.stderr, home: localHome) == normalized(there.stderr, home: remoteHome),
                        "\(arguments)\nlocal:\n\(here.stderr)\nserver:\n\(there.stderr)")
                #expect(!there.stdout.contains(token) && !there.stderr.contains(token))
            }
            // `ls` on the server also lists root/shared; the tour's project reads as the local one does.
            let projects = try await Self.arttui(["ls"], home: localHome).stdout.split(separator: "\n")
                .map { Self.normalized(String($0), entity: "root") }
            let remoteProjects = try await Self.arttui(["--remote", url, "ls"], home: remoteHome, environment: ["ARTTUI_TOKEN": token])
                .stdout.split(separator: "\n").map { Self.normalized(String($0), entity: "root") }
            #expect(projects.count == 2 && remoteProjects.contains(projects[1]), "\(projects) vs \(remoteProjects)")
            // The fetched files are the same bytes on both sides.
            for folder in ["mnist-best", "artifacts/mnist:v1"] {
                let localFiles = try FileManager.default.contentsOfDirectory(atPath: localHome.appendingPathComponent(folder).path).sorted()
                let remoteFiles = try FileManager.default.contentsOfDirectory(atPath: remoteHome.appendingPathComponent(folder).path).sorted()
                #expect(localFiles.count == 56 && localFiles == remoteFiles, "\(folder)")
                for file in localFiles {
                    #expect(FileManager.default.contents(atPath: localHome.appendingPathComponent("\(folder)/\(file)").path)
                        == FileManager.default.contents(atPath: remoteHome.appendingPathComponent("\(folder)/\(file)").path))
                }
            }
        }
    }

    @Test func anUnreachableServerFailsWithinTheTimeoutNamingTheAddress() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-remote-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let started = Date()
        let outcome = try await Self.arttui(["--remote", "http://127.0.0.1:9", "ls", "--timeout", "2"], home: home,
                                            environment: ["ARTTUI_TOKEN": "secret-token-value"])
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.hasPrefix("arttui: error: cannot reach server http://127.0.0.1:9"), "\(outcome)")
        #expect(!outcome.stderr.contains("secret-token-value"))
    }
}
