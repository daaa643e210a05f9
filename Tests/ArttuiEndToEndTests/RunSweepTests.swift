import Foundation
import ProcessTestSupport
import Testing

/// Runs, summaries and the FAQ's sweep patterns, through the command line.
@Suite(.childProcesses) struct RunSweepTests {
    @Test func bestRunOfASweepAndItsArtifacts() async throws {
        let cli = try LineageCommandRunner()
        for (index, accuracy) in [0.71, 0.93, 0.85].enumerated() {
            let run = try await cli.ok("run", "start", "-p", "sw", "--sweep", "s1", "--name", "r\(index)",
                                       "--config", "{\"lr\": \(index)}")
            try cli.write("m/model.bin", "model \(index)")
            // One artifact for the whole sweep, its versions coming from the sweep's runs.
            try await cli.ok("put", "m", "-n", "sw/s1-model", "-t", "model", "--run", run)
            try await cli.ok("run", "log", run, "val_acc=\(accuracy)", "epoch=3")
            try await cli.ok("run", "finish", run)
        }
        let unscored = try await cli.ok("run", "start", "-p", "sw", "--sweep", "s1", "--name", "crashed")
        try await cli.ok("run", "finish", unscored, "--state", "crashed")

        let best = try await cli.json(cli.ok("sweep", "best", "sw", "s1", "--metric", "val_acc", "--json")) as! [String: Any]
        #expect((best["run"] as! [String: Any])["name"] as? String == "r1")
        #expect((best["artifacts"] as! [[String: Any]]).map { $0["version"] as! String } == ["v1"])
        let worst = try await cli.ok("sweep", "best", "sw", "s1", "--metric", "val_acc", "--min")
        #expect(worst.contains("(r0)") && worst.contains("sw/s1-model:v0"))
        let missing = try await cli.run("sweep", "best", "sw", "s1", "--metric", "loss")
        #expect(missing.status != 0 && missing.stderr.contains("loss"))

        let sorted = try await cli.json(cli.ok("runs", "ls", "sw", "--sweep", "s1", "--sort", "-summary.val_acc", "--json"))
            as! [[String: Any]]
        #expect(sorted.map { $0["name"] as! String } == ["r1", "r2", "r0", "crashed"])
        let table = try await cli.ok("runs", "ls", "sw")
        #expect(table.contains("VAL_ACC") && table.contains("crashed"))
    }

    @Test("a --config or --summary that is not a JSON object names the option, not metadata")
    func runObjectsNameTheirOption() async throws {
        let sandbox = try Sandbox()
        let config = try await sandbox.fails(["run", "start", "-p", "p", "--config", "[1]"])
        #expect(config.stderr == "arttui: error: --config must be a JSON object, not an array\n", "\(config)")
        let run = try await sandbox.ok(["run", "start", "-p", "p"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let summary = try await sandbox.fails(["run", "finish", run, "--summary", #"{"acc": NaN}"#])
        #expect(summary.stderr.hasPrefix("arttui: error: --summary value at \"acc\" is NaN"), "\(summary)")
    }

    @Test("run show prints an empty config and summary as {}")
    func emptyRunObjectsShowAsBraces() async throws {
        let sandbox = try Sandbox()
        let run = try await sandbox.ok(["run", "start", "-p", "p"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let shown = try await sandbox.ok(["run", "show", run]).stdout
        let lines = shown.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        #expect(lines.contains { $0.hasPrefix("config") && $0.hasSuffix(" {}") }, "\(shown)")
        #expect(lines.contains { $0.hasPrefix("summary") && $0.hasSuffix(" {}") }, "\(shown)")
        let json = try await sandbox.ok(["run", "show", run, "--json"]).stdout
        #expect(!json.contains("{\n\n") && !json.contains("[\n\n"), "\(json)")
    }
}
