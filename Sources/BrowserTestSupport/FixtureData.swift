import ArtifactStore
import Foundation

/// One artifact of the fixture: its versions held in memory, or generated on demand.
struct FixtureArtifact {
    var project: String
    var name: String
    var type: String
    var description: String
    /// Explicit versions, oldest first. Empty for a generated artifact.
    var versions: [ArtifactVersion]
    /// For a generated artifact: how many versions it has (ids and contents follow from the index).
    var generatedCount: Int?
    /// Aliases set on generated versions, by index.
    var generatedAliases: [Int: [String]] = [:]

    var count: Int { generatedCount ?? versions.count }
}

/// The fixture's contents: realistic names, CJK and emoji, aliases, runs for lineage.
enum FixtureData {
    static let base = Date(timeIntervalSince1970: 1_714_521_600)  // 2024-05-01 00:00 UTC

    static func version(_ id: Int64, _ project: String, _ name: String, _ type: String, _ index: Int,
                        size: Int64, files: Int, added: Int64, description: String = "",
                        metadata: [String: JSONValue] = [:], aliases: [String] = [], run: String? = nil) -> ArtifactVersion {
        ArtifactVersion(
            id: id, project: project, name: name, type: type, index: index,
            digest: String(repeating: String(format: "%02x", Int(id % 256)), count: 32),
            state: .committed, createdAt: base.addingTimeInterval(Double(id % 1_000_000) * 3600 + Double(index) * 60),
            size: size, fileCount: files, addedBytes: added, description: description, metadata: metadata,
            aliases: aliases, loggedBy: run)
    }

    static func artifacts() -> [FixtureArtifact] {
        let p1 = "car-vision-project", p2 = "capsule-gpt", p3 = "多言語-nlp"
        var bike: [ArtifactVersion] = []
        let bikeAdded: [Int64] = [52_428_800, 3_145_728, 1_048_576, 7_340_032, 524_288]
        for i in 0..<5 {
            let aliases = i == 4 ? ["latest"] : i == 3 ? ["validated"] : i == 2 ? ["golden"] : []
            bike.append(version(Int64(100 + i), p1, "bike-dataset", "dataset", i,
                                size: 52_428_800 + Int64(i) * 2_097_152, files: 1200 + i * 40, added: bikeAdded[i],
                                description: i == 2 ? "Hand-checked labels; the golden set for evaluation." : "Nightly export \(i)",
                                metadata: ["images": .int(Int64(1200 + i * 40)), "source": .string("camera-\(i % 2)"),
                                           "split": .object(["train": .double(0.8), "val": .double(0.2)])],
                                aliases: aliases, run: i >= 3 ? "prep-1" : nil))
        }
        let detector = [
            version(200, p1, "detector", "model", 0, size: 98_566_144, files: 3, added: 98_566_144, aliases: [], run: "train-a"),
            version(201, p1, "detector", "model", 1, size: 98_566_144, files: 3, added: 61_865_984,
                    description: "Fine-tuned on bike-dataset v4", aliases: ["latest", "staging"], run: "train-b"),
        ]
        var model: [ArtifactVersion] = []
        for i in 0..<8 {
            let aliases = i == 7 ? ["latest"] : i == 6 ? ["prod"] : i == 5 ? ["best"] : []
            model.append(version(Int64(300 + i), p2, "model", "model", i, size: 524_288_000, files: 4,
                                 added: 209_715_200 + Int64(i) * 1_048_576,
                                 description: "checkpoint step \((i + 1) * 1000) of sweep \(i / 3)",
                                 metadata: ["loss": .double(2.5 - Double(i) * 0.25), "step": .int(Int64((i + 1) * 1000))],
                                 aliases: aliases, run: "sweep-\(i / 3)"))
        }
        let code = [
            version(400, p2, "code", "code", 0, size: 40_960, files: 12, added: 40_960, aliases: [], run: nil),
            version(401, p2, "code", "code", 1, size: 41_984, files: 12, added: 8192, aliases: ["latest"], run: nil),
        ]
        let vocab = [
            version(500, p3, "語彙-vocab", "dataset", 0, size: 2_097_152, files: 2, added: 2_097_152,
                    description: "🚀 高速トークナイザー用の語彙 ❤️ 👩‍💻", metadata: ["言語": .string("日本語")],
                    aliases: ["latest", "本番"], run: nil),
        ]
        return [
            FixtureArtifact(project: p1, name: "bike-dataset", type: "dataset", description: "Bikes in the wild", versions: bike),
            FixtureArtifact(project: p1, name: "detector", type: "model", description: "", versions: detector),
            FixtureArtifact(project: p2, name: "model", type: "model", description: "Capsule GPT checkpoints", versions: model),
            FixtureArtifact(project: p2, name: "code", type: "code", description: "", versions: code),
            FixtureArtifact(project: p3, name: "語彙-vocab", type: "dataset", description: "絵文字 🎉", versions: vocab),
        ]
    }

    /// Runs: id → (name, job type, used version keys, logged version keys).
    static let runs: [(id: String, jobType: String, used: [String], logged: [String])] = [
        ("prep-1", "preprocess", [], ["car-vision-project/bike-dataset:v3", "car-vision-project/bike-dataset:v4"]),
        ("train-a", "train", ["car-vision-project/bike-dataset:v3"], ["car-vision-project/detector:v0"]),
        ("train-b", "train", ["car-vision-project/bike-dataset:v4"], ["car-vision-project/detector:v1"]),
        ("eval-1", "eval", ["car-vision-project/detector:v1", "car-vision-project/bike-dataset:v2"], []),
        ("sweep-0", "train", ["capsule-gpt/code:v1"], (0..<3).map { "capsule-gpt/model:v\($0)" }),
        ("sweep-1", "train", ["capsule-gpt/code:v1"], (3..<6).map { "capsule-gpt/model:v\($0)" }),
        ("sweep-2", "train", ["capsule-gpt/code:v1"], (6..<8).map { "capsule-gpt/model:v\($0)" }),
    ]
}
