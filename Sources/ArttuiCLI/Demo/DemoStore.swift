import ArtifactStore
import Foundation

/// The example `arttui demo` builds: a dataset whose versions change, add and remove files; model
/// checkpoints from the runs of a sweep, with `best` and `prod` and unaliased versions to prune; a
/// code artifact; an evaluation run with a results table; and a project with a CJK name. The runs make
/// a real lineage: corpus and code → training runs → checkpoints → evaluation run → results.
/// Deterministic, a few tens of MB, built in seconds.
struct DemoStore {
    let store: Store

    static let datasetProject = "car-vision-project"
    static let modelProject = "capsule-gpt"
    static let researchProject = "画像-研究"

    /// Builds the demo unless the store already holds it; returns whether it built anything.
    func build() throws -> Bool {
        if try store.projects().contains(where: { $0.name == DemoStore.datasetProject }) { return false }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var random = SplitMix64(seed: 2024)
        try buildBikeDataset(in: scratch.appendingPathComponent("bikes"), random: &random)
        try buildCode(in: scratch.appendingPathComponent("code"))
        try buildCorpus(in: scratch.appendingPathComponent("corpus"), random: &random)
        try buildModel(in: scratch.appendingPathComponent("model"), random: &random)
        try buildEvaluation()
        try buildResearch(in: scratch.appendingPathComponent("research"), random: &random)
        return true
    }

    private func buildBikeDataset(in directory: URL, random: inout SplitMix64) throws {
        let tree = DemoTree(root: directory)
        var labels: [String: String] = [:]
        let classes = ["road", "mountain", "bmx", "cargo"]
        for index in 0..<120 {
            let name = String(format: "images/bike_%04d.jpg", index)
            try tree.write(name, random.bytes(count: 20_000 + random.next(below: 40_000)))
            labels[name] = classes[random.next(below: classes.count)]
        }
        func writeLabels() throws {
            let rows = labels.keys.sorted().map { "\($0),\(labels[$0]!)" }
            try tree.write("labels.csv", Array(("path,label\n" + rows.joined(separator: "\n") + "\n").utf8))
        }
        try writeLabels()
        let ingest = try store.startRun(
            project: DemoStore.datasetProject, id: "ingest01", name: "ingest-street-photos", jobType: "data")
        try put(tree, DemoStore.datasetProject, "bike-dataset", description: "120 street photos of bikes, 4 classes",
                metadata: ["classes": .array(classes.map { .string($0) }), "source": .string("street survey 2024")],
                run: ingest)
        try ingest.finish()
        for index in 120..<140 {
            let name = String(format: "images/bike_%04d.jpg", index)
            try tree.write(name, random.bytes(count: 20_000 + random.next(below: 40_000)))
            labels[name] = classes[random.next(below: classes.count)]
        }
        try writeLabels()
        try put(tree, DemoStore.datasetProject, "bike-dataset", description: "20 more photos from the night shift",
                aliases: ["baseline"])
        for index in stride(from: 3, to: 60, by: 11) {
            try tree.write(String(format: "images/bike_%04d.jpg", index), random.bytes(count: 30_000))
        }
        try put(tree, DemoStore.datasetProject, "bike-dataset", description: "re-shot 6 blurry photos")
        for index in stride(from: 100, to: 116, by: 2) {
            let name = String(format: "images/bike_%04d.jpg", index)
            try tree.remove(name)
            labels[name] = nil
        }
        try writeLabels()
        try put(tree, DemoStore.datasetProject, "bike-dataset", description: "removed 8 duplicates",
                aliases: ["best"])
        labels[String(format: "images/bike_%04d.jpg", 7)] = "cargo"
        try writeLabels()
        try put(tree, DemoStore.datasetProject, "bike-dataset", description: "fixed one label",
                metadata: ["classes": .array(classes.map { .string($0) }), "reviewed": .bool(true)], aliases: ["prod"])
    }

    private func buildCode(in directory: URL) throws {
        let tree = DemoTree(root: directory)
        try tree.write("train.py", Array(DemoStore.trainScript(learningRate: "3e-4").utf8))
        try tree.write("requirements.txt", Array("torch==2.4\nnumpy\nwandb\n".utf8))
        try put(tree, DemoStore.modelProject, "train-code", type: "code", description: "training script")
        try tree.write("train.py", Array(DemoStore.trainScript(learningRate: "1e-4").utf8))
        try put(tree, DemoStore.modelProject, "train-code", type: "code", description: "lower learning rate")
    }

    private func buildCorpus(in directory: URL, random: inout SplitMix64) throws {
        let tree = DemoTree(root: directory)
        let words = ["the", "capsule", "model", "reads", "tokens", "of", "a", "corpus", "and", "learns"]
        var text = ""
        for index in 0..<40_000 { text += words[random.next(below: words.count)] + (index % 16 == 15 ? "\n" : " ") }
        try tree.write("train.txt", Array(text.utf8))
        try tree.write("valid.txt", Array(String(text.prefix(20_000)).utf8))
        try put(tree, DemoStore.modelProject, "tokenized-corpus", description: "training and validation text")
    }

    private func buildModel(in directory: URL, random: inout SplitMix64) throws {
        let tree = DemoTree(root: directory)
        let embedding = random.bytes(count: 3 << 20)
        let runs: [(acc: Double, lr: Double, aliases: [String])] = [
            (0.712, 3e-4, []), (0.768, 1e-4, []), (0.801, 1e-4, ["prod"]), (0.779, 5e-5, []),
            (0.834, 1e-4, ["best"]), (0.822, 2e-4, []),
        ]
        for (index, settings) in runs.enumerated() {
            let run = try store.startRun(
                project: DemoStore.modelProject, id: "sweep0\(index)", name: "sweep-run-\(index)", group: "s8k2v",
                jobType: "train", sweep: "s8k2v", config: ["lr": .double(settings.lr), "layers": .int(12)])
            try run.useArtifact("\(DemoStore.modelProject)/tokenized-corpus:latest")
            try run.useArtifact("\(DemoStore.modelProject)/train-code:latest")
            try tree.write("embedding.bin", embedding)
            try tree.write("weights.bin", random.bytes(count: (2 << 20) + random.next(below: 1 << 20)))
            try tree.write("config.json", Array(
                "{\"layers\": 12, \"heads\": 8, \"lr\": \(settings.lr), \"run\": \"sweep-run-\(index)\"}\n".utf8))
            try put(tree, DemoStore.modelProject, "model", type: "model",
                    description: "checkpoint of sweep-run-\(index)",
                    metadata: ["val_acc": .double(settings.acc), "lr": .double(settings.lr), "sweep": .string("s8k2v")],
                    aliases: settings.aliases, run: run)
            try run.finish(summary: [
                "val_acc": .double(settings.acc), "val_loss": .double(((1.2 - settings.acc) * 1000).rounded() / 1000),
            ])
        }
    }

    /// An evaluation run that uses the best checkpoint and logs a results table.
    private func buildEvaluation() throws {
        let run = try store.startRun(project: DemoStore.modelProject, id: "evalbest", name: "evaluate-best", jobType: "eval")
        try run.useArtifact("\(DemoStore.modelProject)/model:best")
        var draft = ArtifactDraft(name: "eval-results", type: "results", description: "held-out scores of model:best")
        try draft.addTable(Table(
            columns: ["split", "accuracy", "loss"],
            rows: [
                [.string("valid"), .double(0.834), .double(0.366)],
                [.string("test"), .double(0.827), .double(0.371)],
                [.string("night"), .double(0.781), .double(0.442)],
            ]), named: "scores")
        try run.logArtifact(draft, project: DemoStore.modelProject)
        try run.finish(summary: ["test_acc": .double(0.827)])
    }

    private func buildResearch(in directory: URL, random: inout SplitMix64) throws {
        let tree = DemoTree(root: directory)
        try tree.write("サンプル/說明.txt", Array("自転車の写真のサンプル 🚲\n".utf8))
        try tree.write("サンプル/data.bin", random.bytes(count: 200_000))
        try put(tree, DemoStore.researchProject, "samples", description: "自転車のサンプル 🚲 — 東京で撮影",
                aliases: ["最新版"])
    }

    private func put(
        _ tree: DemoTree, _ project: String, _ name: String, type: String = "dataset", description: String = "",
        metadata: [String: JSONValue] = [:], aliases: [String] = [], run: Run? = nil
    ) throws {
        var draft = ArtifactDraft(name: name, type: type, description: description, metadata: metadata, aliases: aliases)
        try draft.addDirectory(tree.root)
        if let run {
            try run.logArtifact(draft, project: project)
        } else {
            try store.log(draft, project: project)
        }
    }

    static func trainScript(learningRate: String) -> String {
        """
        import torch

        def train(model, data, epochs=10, lr=\(learningRate)):
            optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
            for epoch in range(epochs):
                for batch in data:
                    loss = model(batch).loss
                    loss.backward()
                    optimizer.step()
                    optimizer.zero_grad()

        """
    }
}

/// A scratch directory the demo writes its files into before putting them.
struct DemoTree {
    let root: URL

    func write(_ path: String, _ bytes: [UInt8]) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(path))
    }
}

extension SplitMix64 {
    /// A value in `0..<bound`, the same on every machine (unlike `Int.random(in:using:)`, whose
    /// method may change between Swift releases and with it every demo store).
    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
