import Foundation
import ProcessTestSupport
import Testing

/// The FAQ's workflows around runs and the artifact graph, through the command line.
@Suite(.childProcesses) struct LineageWorkflowTests {
    @Test func walkingTheGraphFromAnArtifactAndFromARun() async throws {
        let cli = try LineageCommandRunner()
        try cli.write("data/a.txt", "rows")
        let prep = try await cli.ok("run", "start", "-p", "demo", "--name", "prep")
        try await cli.ok("put", "data", "-n", "demo/ds", "--run", prep)
        var trains: [String] = []
        for index in 1...2 {
            let train = try await cli.ok("run", "start", "-p", "demo", "--name", "train-\(index)", "--job-type", "train")
            try await cli.ok("get", "demo/ds:latest", "--run", train, "--root", "out\(index)")
            try cli.write("m.bin", "weights \(index)")
            try await cli.ok("put", "m.bin", "-n", "demo/model", "-t", "model", "--run", train)
            trains.append(train)
        }
        let eval = try await cli.ok("run", "start", "-p", "demo", "--name", "eval", "--job-type", "eval")
        try await cli.ok("use", "demo/model:v0", "--run", eval)
        try await cli.ok("use", "demo/model:v1", "--run", eval)
        try await cli.ok("use", "demo/model:v1", "--run", eval)

        let drawing = try await cli.ok("lineage", "demo/ds:v0", "--down", "4")
        #expect(drawing.contains("run prep"))
        #expect(drawing.contains("ds:v0 [latest] *"))
        #expect(drawing.contains("run train-2"))
        #expect(drawing.contains("model:v1"))
        #expect(drawing.contains("run eval"))
        #expect(drawing.contains("▶"))

        let graph = try await cli.json(cli.ok("lineage", "demo/model:v1", "--json")) as! [String: Any]
        let nodes = (graph["nodes"] as! [[String: Any]]).map { $0["key"] as! String }
        #expect(Set(nodes) == ["artifact:demo/model:v1", "run:\(trains[1])", "artifact:demo/ds:v0",
                               "run:\(prep)", "run:\(eval)"])
        #expect((graph["edges"] as! [Any]).count == 4)

        let shown = try await cli.json(cli.ok("run", "show", eval, "--json")) as! [String: Any]
        #expect(shown["used"] as! [String] == ["demo/model:v0", "demo/model:v1"])
        let model = try await cli.json(cli.ok("show", "demo/model:v0", "--json")) as! [String: Any]
        #expect(model["loggedBy"] as? String == trains[0])
    }

    @Test func loggingToAnExistingRunAndPutGetWithoutARun() async throws {
        let cli = try LineageCommandRunner()
        try await cli.ok("run", "start", "-p", "demo", "--id", "old-run")
        try await cli.ok("run", "finish", "old-run")
        let refused = try await cli.run("run", "start", "-p", "demo", "--id", "old-run")
        #expect(refused.status != 0 && refused.stderr.contains("old-run"))
        #expect(try await cli.ok("run", "start", "-p", "demo", "--id", "old-run", "--resume", "allow") == "old-run")
        try cli.write("my_data/file.txt", "text")
        try await cli.ok("put", "my_data/file.txt", "-n", "demo/artifact_name", "-t", "artifact_type", "--run", "old-run")
        let shown = try await cli.ok("run", "show", "old-run")
        #expect(shown.contains("demo/artifact_name:v0"))
        #expect(try await cli.run("run", "start", "-p", "demo", "--id", "missing", "--resume", "must").status != 0)

        try cli.write("mnist/x.txt", "digits")
        try await cli.ok("put", "-n", "demo/mnist", "-t", "dataset", "mnist")
        try await cli.ok("get", "demo/mnist:latest", "--root", "restored")
        #expect(try String(contentsOf: cli.root.appendingPathComponent("restored/x.txt"), encoding: .utf8) == "digits")
    }

    @Test func updatingViaSaveCleaningUnaliasedAndDeletingWithAliases() async throws {
        let cli = try LineageCommandRunner()
        try cli.write("raw/r.txt", "raw")
        try await cli.ok("put", "raw", "-n", "car/raw")
        let run = try await cli.ok("run", "start", "-p", "car", "--name", "ckpt")
        try await cli.ok("use", "car/raw:v0", "--run", run)
        for index in 0..<3 {
            try cli.write("ckpt/w.bin", "checkpoint \(index)")
            try await cli.ok("put", "ckpt", "-n", "car/bike-dataset", "--run", run)
        }
        try await cli.ok("edit", "car/bike-dataset:latest", "-d", "My new description", "--set", "oldKey=\"new value\"")
        try await cli.ok("alias", "add", "car/bike-dataset:v1", "best")
        let edited = try await cli.json(cli.ok("show", "car/bike-dataset:v2", "--json")) as! [String: Any]
        #expect(edited["description"] as? String == "My new description")

        // Clean up versions without aliases: only v0 goes; v1 has "best", v2 has "latest".
        try await cli.ok("prune", "car/bike-dataset")
        let left = (try await cli.json(cli.ok("ls", "car/bike-dataset", "--json")) as! [[String: Any]]).map { $0["version"] as! String }
        #expect(left == ["v2", "v1"])
        // Deleting with aliases needs --delete-aliases; the deleted versions stay in the run's lineage.
        #expect(try await cli.run("rm", "car/bike-dataset:v1").status != 0)
        try await cli.ok("rm", "car/bike-dataset:v1", "--delete-aliases")
        let shown = try await cli.ok("run", "show", run)
        #expect(shown.contains("car/bike-dataset:v1 (deleted)"))
        let drawing = try await cli.ok("lineage", "car/raw:v0", "--down", "2", "--ascii")
        #expect(drawing.contains("bike-dataset:v1") && drawing.contains("(deleted)"))
    }

    @Test func savingCodeAndSeveralArchitecturesWithLatestEach() async throws {
        let cli = try LineageCommandRunner()
        let run = try await cli.ok("run", "start", "-p", "arch", "--name", "train")
        try cli.write("train.py", "print('hi')")
        try await cli.ok("put", "train.py", "-n", "arch/source", "-t", "code", "--run", run)
        for (name, layers) in [("resnet", 50), ("vit", 12)] {
            for step in 0..<2 {
                try cli.write("\(name)/model.bin", "\(name) step \(step)")
                try await cli.ok("put", name, "-n", "arch/\(name)", "-t", "model", "--run", run,
                                 "--metadata", "{\"layers\": \(layers)}")
            }
        }
        for name in ["resnet", "vit"] {
            let latest = try await cli.json(cli.ok("show", "arch/\(name):latest", "--json")) as! [String: Any]
            #expect(latest["version"] as? String == "v1")
        }
        let drawing = try await cli.ok("lineage", "arch/source:v0", "--down", "1")
        #expect(drawing.contains("source:v0 [latest] *") && drawing.contains("run train"))
        let logged = try await cli.json(cli.ok("run", "show", run, "--json")) as! [String: Any]
        #expect((logged["logged"] as! [String]).count == 5)
    }

    @Test func lineageDrawsTheSamePictureInASCIIWithoutAUTF8Locale() async throws {
        let cli = try LineageCommandRunner()
        try cli.write("d/a.txt", "rows")
        let prep = try await cli.ok("run", "start", "-p", "demo", "--name", "prep")
        try await cli.ok("put", "d", "-n", "demo/ds", "--run", prep)
        for name in ["a", "b"] {
            let train = try await cli.ok("run", "start", "-p", "demo", "--name", "train-\(name)")
            try await cli.ok("use", "demo/ds:v0", "--run", train)
        }
        let unicode = try await cli.ok("lineage", "demo/ds:v0")
        let flagged = try await cli.ok("lineage", "demo/ds:v0", "--ascii")
        cli.locale = "C"
        let plain = try await cli.ok("lineage", "demo/ds:v0")
        #expect(unicode.contains("┬─▶ run train-a") && unicode.contains("╰─▶ run train-b"))
        #expect(plain == flagged)
        #expect(plain.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(plain.contains("+-> run train-a") && plain.contains("'-> run train-b"))
        // Cell for cell the same picture.
        #expect(plain.split(separator: "\n").map(\.count) == unicode.split(separator: "\n").map(\.count))
    }
}
