import Foundation
import ProcessTestSupport
import Testing

/// `diff` and `find` through the binary: output shapes, defaults, and one-line errors (a caret line for --where).
@Suite("diff and find", .childProcesses)
struct DiffFindTests {
    /// proj/model v0 → v1 → v2 with edits, a rename, metadata and aliases.
    private func history() async throws -> Sandbox {
        let sandbox = try Sandbox()
        let first = try sandbox.writeTree("v0", [
            "config.txt": Data("lr=0.1\nepochs=3\n".utf8), "weights.bin": Data([0, 1, 2, 3]),
            "notes/a.txt": Data("moved\n".utf8), "old.txt": Data("bye\n".utf8),
        ])
        try await sandbox.ok(["put", first.path, "-n", "proj/model", "-t", "model", "-d", "first try", "-a", "candidate",
                              "--metadata", #"{"acc": 0.81, "train": {"lr": 0.1, "epochs": 3}, "tags": ["baseline"]}"#])
        let second = try sandbox.writeTree("v1", [
            "config.txt": Data("lr=0.01\nepochs=3\n".utf8), "weights.bin": Data([0, 1, 2, 3, 4, 5]),
            "docs/a.txt": Data("moved\n".utf8), "new.txt": Data("hello\n".utf8),
        ])
        try await sandbox.ok(["put", second.path, "-n", "proj/model", "-t", "model", "-d", "tuned", "-a", "best",
                              "--metadata", #"{"acc": 0.93, "train": {"lr": 0.01, "epochs": 3}, "tags": ["tuned"], "final": true}"#])
        let third = try sandbox.writeTree("v2", ["config.txt": Data("lr=0.001\n".utf8)])
        try await sandbox.ok(["put", third.path, "-n", "proj/model", "-t", "model", "--metadata", #"{"acc": 0.7}"#])
        let data = try sandbox.writeTree("d", ["rows.csv": Data("a,b\n".utf8)])
        try await sandbox.ok(["put", data.path, "-n", "other/rows", "-t", "dataset", "--metadata", #"{"acc": 0.99, "size": 12}"#])
        return sandbox
    }

    @Test("diff A defaults to the version before A; text lists files, metadata, description and aliases")
    func textDiff() async throws {
        let sandbox = try await history()
        let out = try await sandbox.ok(["diff", "proj/model:v1"]).stdout
        #expect(out.hasPrefix("diff proj/model:v0 → proj/model:v1\n"), "\(out)")
        #expect(out.contains(#"description: "first try" → "tuned""#), "\(out)")
        #expect(out.contains("aliases: +best -candidate"), "\(out)")
        #expect(out.contains("  ~ acc: 0.81 → 0.93"), "\(out)")
        #expect(out.contains("  ~ train.lr: 0.1 → 0.01"), "\(out)")
        #expect(out.contains("  + final: true"), "\(out)")
        #expect(!out.contains("train.epochs"), "\(out)")
        let fileLines = out.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("  ~") && !$0.hasPrefix("  +")
            && !$0.hasPrefix("  - ") }
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).prefix(4).joined(separator: " ") }
        #expect(fileLines == ["M config.txt 16 B", "R notes/a.txt → docs/a.txt", "A new.txt 6 B", "D old.txt 4 B",
                              "M weights.bin 4 B"], "\(out)")
        #expect(out.contains("5 files changed: 1 added, 1 removed, 2 modified, 1 renamed"), "\(out)")
    }

    @Test("diff --json: the documented shape; B as a ref of the same artifact or a full address")
    func jsonDiff() async throws {
        let sandbox = try await history()
        let object = try await sandbox.ok(["diff", "proj/model:v2", "v0", "--json"]).jsonObject()
        #expect((object["base"] as? [String: Any])?["address"] as? String == "proj/model:v0")
        #expect((object["target"] as? [String: Any])?["address"] as? String == "proj/model:v2")
        let files = try #require(object["files"] as? [[String: Any]])
        let config = try #require(files.first { $0["path"] as? String == "config.txt" })
        #expect(config["status"] as? String == "modified")
        #expect(config["baseSize"] as? Int == 16)
        #expect(config["size"] as? Int == 9)
        #expect(files.filter { $0["status"] as? String == "removed" }.count == 3)
        let metadata = try #require(object["metadata"] as? [[String: Any]])
        #expect(metadata.map { "\($0["status"]!) \($0["key"]!)" } == [
            "changed acc", "removed tags", "removed train.epochs", "removed train.lr"])
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["removed"] as? Int == 3 && summary["modified"] as? Int == 1)

        let alias = try await sandbox.ok(["diff", "proj/model:latest", "best", "--json"]).jsonObject()
        #expect((alias["base"] as? [String: Any])?["address"] as? String == "proj/model:v1")
        let across = try await sandbox.ok(["diff", "other/rows:v0", "proj/model:v2", "--json", "--stat"]).jsonObject()
        #expect(across["files"] == nil)
        #expect((across["summary"] as? [String: Any])?["added"] as? Int == 1)
    }

    @Test("diff --patch shows unified diffs of text files and says which are binary")
    func patch() async throws {
        let sandbox = try await history()
        let out = try await sandbox.ok(["diff", "proj/model:v1", "--patch"]).stdout
        #expect(out.contains("--- a/config.txt\n+++ b/config.txt\n@@ -1,2 +1,2 @@\n-lr=0.1\n+lr=0.01\n epochs=3\n"), "\(out)")
        #expect(out.contains("--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+hello\n"), "\(out)")
        #expect(out.contains("Binary file weights.bin differs"), "\(out)")
        #expect(!out.contains("+++ b/docs/a.txt"), "\(out)")
        let json = try await sandbox.ok(["diff", "proj/model:v1", "--patch", "--json"]).jsonObject()
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.first { $0["path"] as? String == "weights.bin" }?["patchSkipped"] as? String == "binary")
        #expect((files.first { $0["path"] as? String == "new.txt" }?["patch"] as? String)?.contains("+hello") == true)
    }

    @Test("diff --stat prints only counts")
    func stat() async throws {
        let sandbox = try await history()
        let out = try await sandbox.ok(["diff", "proj/model:v1", "--stat"]).stdout
        #expect(out == """
            diff proj/model:v0 → proj/model:v1
            5 files changed: 1 added, 1 removed, 2 modified, 1 renamed (+9 B, -4 B)
            4 metadata keys changed, description changed, aliases +best -candidate

            """, "\(out)")
    }

    @Test("diff errors are one line: a first version, an unknown ref")
    func diffErrors() async throws {
        let sandbox = try await history()
        let first = try await sandbox.fails(["diff", "proj/model:v0"])
        #expect(first.stderr.contains("proj/model:v0 is the first version"), "\(first)")
        let unknown = try await sandbox.fails(["diff", "proj/model:v2", "v9"])
        #expect(unknown.stderr.contains("v9"), "\(unknown)")
    }

    @Test("find: conditions ANDed, filters, sort, limit, JSON")
    func find() async throws {
        let sandbox = try await history()
        func found(_ arguments: [String]) async throws -> [String] {
            try await sandbox.ok(["find"] + arguments + ["--json"]).jsonArray().map {
                "\($0["project"]!)/\($0["name"]!):\($0["version"]!)"
            }
        }
        #expect(try await found(["--where", "acc > 0.9", "--sort", "name"]) == ["other/rows:v0", "proj/model:v1"])
        #expect(try await found(["proj", "--where", "acc > 0.9"]) == ["proj/model:v1"])
        #expect(try await found(["--where", "acc > 0.75", "--where", "train.lr < 0.05"]) == ["proj/model:v1"])
        #expect(try await found(["--where", "metadata.size = 12 or final = true", "--sort", "name"])
            == ["other/rows:v0", "proj/model:v1"])
        #expect(try await found(["--where", #"tags contains "baseline""#]) == ["proj/model:v0"])
        #expect(try await found(["--where", "size > 5B and files >= 2", "--sort", "-size"]) == ["proj/model:v1", "proj/model:v0"])
        #expect(try await found(["--type", "dataset"]) == ["other/rows:v0"])
        #expect(try await found(["--alias", "best"]) == ["proj/model:v1"])
        #expect(try await found(["--sort", "-metadata.acc", "--limit", "2"]) == ["other/rows:v0", "proj/model:v1"])
        #expect(try await found(["--sort", "acc", "--limit", "1"]) == ["proj/model:v2"])
        #expect(try await found(["--created-after", "2000-01-01", "--created-before", "2000-01-02"]).isEmpty)
        #expect(try await found(["--logged-by", "no-such-run"]).isEmpty)
        let text = try await sandbox.ok(["find", "--where", "acc < 0.8"]).stdout
        #expect(text.contains("proj/model:v2"), "\(text)")
        #expect(text.hasPrefix("VERSION"), "\(text)")
        #expect(try await sandbox.ok(["find", "--where", "acc > 5"]).stdout == "no versions match\n")
        let limited = try await sandbox.ok(["find", "--limit", "1"]).stdout
        #expect(limited.contains("more versions match"), "\(limited)")
    }

    @Test("a bad --where is one message line naming the problem, then a caret under the column; nothing else")
    func findErrors() async throws {
        let sandbox = try await history()
        let result = try await sandbox.run(["find", "--where", "acc > 0.9 and (size > 10XB"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty, "\(result)")
        #expect(lines[0].hasPrefix("arttui: error: --where: size '10XB' has an unknown unit"), "\(result)")
        #expect(lines[0].hasSuffix(": acc > 0.9 and (size > 10XB"), "\(result)")
        let caret = try #require(lines[1].firstIndex(of: "^"))
        let column = lines[1].distance(from: lines[1].startIndex, to: caret)
        #expect(String(Array(lines[0])[column..<(column + 4)]) == "10XB", "\(result)")
        #expect(lines[1].trimmingCharacters(in: .whitespaces) == "^")

        let sort = try await sandbox.run(["find", "--sort", "-size >"])
        #expect(sort.status == 1 && sort.stderr.hasPrefix("arttui: error: --sort: "), "\(sort)")
        try await sandbox.fails(["find", "--created-after", "last week"])
        try await sandbox.fails(["find", "nosuchproject"])
        try await sandbox.fails(["find", "--limit", "0"])
    }

    /// A CJK character takes two columns: counted as one, the caret stood left of the word at fault.
    @Test("the caret stands under the word at fault after keys and values in CJK")
    func caretAfterWideCharacters() async throws {
        let sandbox = try await history()
        let result = try await sandbox.run(["find", "--where", "精度 = 値"])
        #expect(result.status == 1, "\(result)")
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 3 && lines[0].contains("bare word '値'"), "\(result)")
        let columns = { (text: Substring) in text.unicodeScalars.reduce(0) { $0 + ((0x4E00...0x9FFF).contains($1.value) ? 2 : 1) } }
        let value = try #require(lines[0].range(of: "値", options: .backwards))
        #expect(lines[1].prefix { $0 == " " }.count == columns(lines[0][..<value.lowerBound]), "\(result)")
    }
}
