import Foundation
import ProcessTestSupport
import Testing

/// `put --reference`: versions that record where bytes live instead of storing them, and `get` /
/// `verify --references` noticing when the bytes behind a URI changed or went away.
@Suite("references", .childProcesses)
struct ReferenceTests {
    /// The entries of `show --files --json`, by path.
    private func entries(_ sandbox: Sandbox, _ address: String) async throws -> [String: [String: Any]] {
        let files = try await sandbox.show(address, files: true)["files"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: files.map { ($0.string("path") ?? "", $0) })
    }

    private func packCount(_ sandbox: Sandbox) -> Int {
        let packs = sandbox.store.appendingPathComponent("packs")
        let walker = FileManager.default.enumerator(atPath: packs.path)
        return (walker?.allObjects.count { ($0 as? String)?.hasSuffix(".pack") == true }) ?? 0
    }

    @Test("file:// trees and files mix with stored files; get restores all; show marks the references")
    func fileReferencesMixWithStoredFiles() async throws {
        let sandbox = try Sandbox()
        let shared = try sandbox.writeTree("shared", ["train/a.bin": SeededBytes.data(seed: 1, count: 5000),
                                                       "train/b.bin": SeededBytes.data(seed: 2, count: 70_000)])
        let single = try sandbox.write("labels.csv", Data("id,label\n1,cat\n".utf8))
        let own = try sandbox.writeTree("own", ["notes.txt": Data("mine".utf8)])

        let put = try await sandbox.ok(["put", own.path, "-n", "p/ds", "--reference", "file://\(shared.path)",
                                        "--reference", "file://\(single.path)"])
        #expect(put.stdout.hasPrefix("created p/ds:v0 (4 files"), "\(put)")
        let files = try await entries(sandbox, "p/ds")
        #expect(Set(files.keys) == ["notes.txt", "train/a.bin", "train/b.bin", "labels.csv"])
        #expect(files["notes.txt"]?["reference"] == nil)
        let reference = files["train/b.bin"]?.object("reference") ?? [:]
        #expect(reference.string("uri") == "file://\(shared.path)/train/b.bin", "\(files)")
        #expect(files["train/b.bin"]?.string("digest")?.hasPrefix("sha256:") == true)
        #expect(files["train/b.bin"]?.int("size") == 70_000)

        let text = try await sandbox.ok(["show", "p/ds", "--files"])
        #expect(text.stdout.contains("labels.csv -> file://\(single.path)"), "\(text)")

        let out = sandbox.path("out")
        let get = try await sandbox.ok(["get", "p/ds", "--root", out.path])
        #expect(get.stdout.contains("3 from references"), "\(get)")
        #expect(try filesUnder(out) == ["notes.txt": Data("mine".utf8), "labels.csv": Data("id,label\n1,cat\n".utf8),
                                        "train/a.bin": SeededBytes.data(seed: 1, count: 5000),
                                        "train/b.bin": SeededBytes.data(seed: 2, count: 70_000)])
        // The digest covers where references point, so the same put again is no new version.
        let again = try await sandbox.ok(["put", own.path, "-n", "p/ds", "--reference", "file://\(shared.path)",
                                          "--reference", "file://\(single.path)"])
        #expect(again.stdout.hasPrefix("no changes"), "\(again)")
        let verify = try await sandbox.ok(["verify", "--references"])
        #expect(verify.stdout.contains("3 references checked"), "\(verify)")
    }

    @Test("a reference-only version writes no pack and adds no bytes")
    func referenceOnlyVersionCostsCatalogRows() async throws {
        let sandbox = try Sandbox()
        try await sandbox.ok(["put", try sandbox.writeTree("seed", ["x": Data("x".utf8)]).path, "-n", "p/seed"])
        let before = packCount(sandbox)
        let shared = try sandbox.writeTree("shared", ["big.bin": SeededBytes.data(seed: 3, count: 300_000)])
        let version = try await sandbox.put([], "p/refs", ["--reference", "file://\(shared.path)"])
        #expect(version.int("addedBytes") == 0, "\(version)")
        #expect(version.int("size") == 300_000)
        #expect(packCount(sandbox) == before)
    }

    @Test("a changed file:// source fails get naming the path and both checksums; --allow-changed takes it")
    func changedFileSource() async throws {
        let sandbox = try Sandbox()
        let shared = try sandbox.writeTree("shared", ["w.bin": Data("weights v1".utf8)])
        try await sandbox.ok(["put", "-n", "p/m", "--reference", "file://\(shared.path)/w.bin"])
        let recorded = try await entries(sandbox, "p/m")["w.bin"]?.string("digest") ?? ""
        try Data("weights v2".utf8).write(to: shared.appendingPathComponent("w.bin"))

        let out = sandbox.path("out")
        let failed = try await sandbox.fails(["get", "p/m", "--root", out.path])
        #expect(failed.stderr.contains("\"w.bin\"") && failed.stderr.contains(recorded), "\(failed)")
        #expect(failed.stderr.contains("now sha256:"), "\(failed)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("w.bin").path))

        let allowed = try await sandbox.run(["get", "p/m", "--root", out.path, "--allow-changed"])
        #expect(allowed.status == 0, "\(allowed)")
        #expect(allowed.stderr.contains("warning: w.bin") && allowed.stderr.contains("--allow-changed"), "\(allowed)")
        #expect(try Data(contentsOf: out.appendingPathComponent("w.bin")) == Data("weights v2".utf8))

        let verify = try await sandbox.run(["verify", "--references", "--json"])
        #expect(verify.status == 1, "\(verify)")
        let problems = try verify.jsonObject()["problems"] as? [[String: Any]] ?? []
        #expect(problems.map { $0.string("kind") } == ["reference-changed"], "\(verify)")
        // Without --references the store itself is sound.
        try await sandbox.ok(["verify"])
    }

    @Test("a missing file:// source: put, get and verify --references say which")
    func missingFileSource() async throws {
        let sandbox = try Sandbox()
        let failedPut = try await sandbox.fails(["put", "-n", "p/m", "--reference", "file://\(sandbox.path("nothing").path)"])
        #expect(failedPut.stderr.contains("nothing"), "\(failedPut)")
        #expect(try await sandbox.run(["ls", "p/m"]).status != 0)

        let shared = try sandbox.writeTree("shared", ["gone.txt": Data("here for now".utf8)])
        try await sandbox.ok(["put", "-n", "p/m", "--reference", "file://\(shared.path)"])
        try FileManager.default.removeItem(at: shared.appendingPathComponent("gone.txt"))
        let failed = try await sandbox.fails(["get", "p/m", "--root", sandbox.path("out").path])
        #expect(failed.stderr.contains("gone.txt") && failed.stderr.contains("No such file"), "\(failed)")
        let verify = try await sandbox.run(["verify", "--references", "--json"])
        let problems = try verify.jsonObject()["problems"] as? [[String: Any]] ?? []
        #expect(verify.status == 1 && problems.map { $0.string("kind") } == ["reference-unavailable"], "\(verify)")
    }

    @Test("a tree over --max-objects fails with the count and the limit and stores nothing")
    func maxObjects() async throws {
        let sandbox = try Sandbox()
        var tree: [String: Data] = [:]
        for index in 0..<12 { tree["f\(index).txt"] = Data("\(index)".utf8) }
        let shared = try sandbox.writeTree("shared", tree)
        let own = try sandbox.writeTree("own", ["a.txt": Data("a".utf8)])
        try await sandbox.ok(["put", own.path, "-n", "p/x"])
        let before = try DirectorySnapshot(sandbox.store)

        let failed = try await sandbox.fails(["put", own.path, "-n", "p/x", "--reference", "file://\(shared.path)",
                                              "--max-objects", "10"])
        #expect(failed.stderr.contains("12 objects") && failed.stderr.contains("limit of 10"), "\(failed)")
        try expectUnchanged(sandbox.store, since: before)
        #expect(try await sandbox.versionNames("p/x") == ["v0"])
        // At the limit it goes in.
        try await sandbox.ok(["put", "-n", "p/y", "--reference", "file://\(shared.path)", "--max-objects", "12"])
    }

    @Test("bad reference URIs and a reference in a pending version are refused in one line")
    func badReferences() async throws {
        let sandbox = try Sandbox()
        let file = try sandbox.write("x.txt", Data("x".utf8))
        for (uri, expected) in [("file://relative/x.txt", "absolute path"), ("ftp://host/x", "scheme"),
                                ("no-scheme", "not a URI"), ("http://", "not an http")] {
            let failed = try await sandbox.fails(["put", "-n", "p/b", "--reference", uri])
            #expect(failed.stderr.contains(expected), "\(failed)")
        }
        let upsert = try await sandbox.fails(["put", "-n", "p/b", "--upsert", "--distributed-id", "g1",
                                              "--reference", "file://\(file.path)"])
        #expect(upsert.stderr.contains("pending version"), "\(upsert)")
        #expect(try await sandbox.run(["ls", "p/b"]).status != 0)
    }

    @Test("--no-checksum records the URI as the digest: changes behind it go unseen, as in the reference system")
    func noChecksum() async throws {
        let sandbox = try Sandbox()
        let file = try sandbox.write("shared/data.txt", Data("one".utf8))
        try await sandbox.ok(["put", "-n", "p/u", "--no-checksum", "--reference", "file://\(file.path)"])
        #expect(try await entries(sandbox, "p/u")["data.txt"]?.string("digest") == "file://\(file.path)")
        try Data("two!".utf8).write(to: file)
        let again = try await sandbox.ok(["put", "-n", "p/u", "--no-checksum", "--reference", "file://\(file.path)"])
        #expect(again.stdout.hasPrefix("no changes"), "\(again)")
        try await sandbox.ok(["get", "p/u", "--root", sandbox.path("out").path])
        #expect(try Data(contentsOf: sandbox.path("out/data.txt")) == Data("two!".utf8))
    }

    @Test("http:// with ETags: recorded by ETag, verified by HEAD alone, a change fails get")
    func httpWithETags() async throws {
        let sandbox = try Sandbox()
        let site = try sandbox.writeTree("site", ["model.bin": SeededBytes.data(seed: 9, count: 40_000)])
        let server = try LoopbackHTTPResponder(serving: site, etags: true)
        defer { server.stop() }
        let url = "\(server.url)/model.bin"
        try await sandbox.ok(["put", "-n", "p/h", "--reference", url])
        let entry = try await entries(sandbox, "p/h")["model.bin"] ?? [:]
        #expect(entry.string("digest")?.hasPrefix("etag:") == true, "\(entry)")
        #expect(entry.int("size") == 40_000)

        server.forgetRequests()
        let verify = try await sandbox.ok(["verify", "--references"])
        #expect(verify.stdout.contains("1 reference checked"), "\(verify)")
        #expect(server.requests.map(\.summary) == ["HEAD /model.bin"], "verify downloaded: \(server.requests.map(\.summary))")

        let out = sandbox.path("out")
        try await sandbox.ok(["get", "p/h", "--root", out.path])
        #expect(try Data(contentsOf: out.appendingPathComponent("model.bin")) == SeededBytes.data(seed: 9, count: 40_000))

        try SeededBytes.data(seed: 10, count: 40_000).write(to: site.appendingPathComponent("model.bin"))
        let failed = try await sandbox.fails(["get", "p/h", "--root", sandbox.path("out2").path])
        #expect(failed.stderr.contains("\"model.bin\"") && failed.stderr.contains(entry.string("digest") ?? "?"), "\(failed)")
        let changed = try await sandbox.run(["verify", "--references"])
        #expect(changed.status == 1 && changed.stdout.contains("reference model.bin"), "\(changed)")
    }

    @Test("http:// without ETags: recorded by the SHA-256 of a download; changed and missing sources fail")
    func httpWithoutETags() async throws {
        let sandbox = try Sandbox()
        let site = try sandbox.writeTree("site", ["table.csv": Data("a,b\n1,2\n".utf8)])
        let server = try LoopbackHTTPResponder(serving: site, etags: false)
        defer { server.stop() }
        let url = "\(server.url)/table.csv"
        try await sandbox.ok(["put", "-n", "p/h", "--reference", url])
        let digest = try await entries(sandbox, "p/h")["table.csv"]?.string("digest") ?? ""
        #expect(digest.hasPrefix("sha256:"), "\(digest)")

        try await sandbox.ok(["get", "p/h", "--root", sandbox.path("out").path])
        #expect(try Data(contentsOf: sandbox.path("out/table.csv")) == Data("a,b\n1,2\n".utf8))

        try Data("a,b\n1,3\n".utf8).write(to: site.appendingPathComponent("table.csv"))
        let failed = try await sandbox.fails(["get", "p/h", "--root", sandbox.path("out2").path])
        #expect(failed.stderr.contains(digest) && failed.stderr.contains("now sha256:"), "\(failed)")

        let missing = try await sandbox.fails(["put", "-n", "p/h2", "--reference", "\(server.url)/absent.csv"])
        #expect(missing.stderr.contains("HTTP 404"), "\(missing)")
        try FileManager.default.removeItem(at: site.appendingPathComponent("table.csv"))
        let verify = try await sandbox.run(["verify", "--references"])
        #expect(verify.status == 1 && verify.stdout.contains("HTTP 404"), "\(verify)")
    }
}
