import Crypto
import Foundation
import ProcessTestSupport
import Testing

/// `import wandb` and `export wandb`: artifacts carried across from and to the reference system's
/// on-disk form, checked by MD5 on the way in and by the reference's own client on the way out.
@Suite("wandb import and export", .childProcesses)
struct WandbInterchangeTests {
    private static func md5(_ data: Data) -> String { Data(Insecure.MD5.hash(data: data)).base64EncodedString() }

    private let files: [String: Data] = [
        "images/cat.png": SeededBytes.data(seed: 21, count: 30_000),
        "labels.json": Data(#"{"cat": 0}"#.utf8),
        "empty.txt": Data(),
    ]

    /// Reference entries as the reference's client records them for S3, HTTP and a local file.
    private let referenceEntries: [String: Any] = [
        "remote/s3.bin": ["digest": "9e107d9d372bb6826bd81d3542a419d6", "size": 1234, "ref": "s3://bucket/data/s3.bin",
                          "extra": ["etag": "9e107d9d372bb6826bd81d3542a419d6", "versionID": "v-77"]],
        "remote/page.html": ["digest": "abc123", "size": 99, "ref": "https://example.com/page.html",
                             "extra": ["etag": "\"abc123\""]],
        "remote/local.txt": ["digest": "1B2M2Y8AsgTpgAmY7PhCfg==", "size": 0, "ref": "file:///srv/shared/local.txt"],
        "remote/unchecked.bin": ["digest": "s3://bucket/raw.bin", "size": 5, "ref": "s3://bucket/raw.bin"],
    ]

    /// Writes an artifact folder: the files and a manifest listing them (plus `extra` entries).
    @discardableResult
    private func writeFolder(_ sandbox: Sandbox, _ name: String, files: [String: Data], extra: [String: Any] = [:],
                             omit: Set<String> = []) throws -> URL {
        let folder = try sandbox.writeTree(name, files.filter { !omit.contains($0.key) })
        var contents: [String: Any] = extra
        for (path, data) in files { contents[path] = ["digest": Self.md5(data), "size": data.count] }
        let manifest: [String: Any] = [
            "version": 1, "storagePolicy": "wandb-storage-policy-v1",
            "storagePolicyConfig": ["storageLayout": "V2"], "contents": contents,
        ]
        try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys])
            .write(to: folder.appendingPathComponent("wandb_manifest.json"))
        return folder
    }

    private func contents(ofManifestIn folder: URL) throws -> NSDictionary {
        let data = try Data(contentsOf: folder.appendingPathComponent("wandb_manifest.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (object["contents"] as? NSDictionary) ?? [:]
    }

    @Test("import stores the files, keeps references as references, and takes metadata from --metadata")
    func importFolder() async throws {
        let sandbox = try Sandbox()
        let folder = try writeFolder(sandbox, "art", files: files, extra: referenceEntries)
        let metadata = try sandbox.write("meta.json", Data(#"{"source": "wandb", "epoch": 3}"#.utf8))
        let result = try await sandbox.ok(["import", "wandb", folder.path, "-n", "p/imported", "-t", "model",
                                           "--metadata", "@\(metadata.path)"])
        #expect(result.stdout.hasPrefix("imported p/imported:v0 (3 files, 4 references"), "\(result)")
        let shown = try await sandbox.show("p/imported", files: true)
        #expect(shown.string("type") == "model")
        #expect(shown.object("metadata").int("epoch") == 3)
        let entries = shown["files"] as? [[String: Any]] ?? []
        let s3 = try #require(entries.first { $0.string("path") == "remote/s3.bin" })
        #expect(s3.string("digest") == "etag:9e107d9d372bb6826bd81d3542a419d6")
        #expect(s3.object("reference").string("objectVersion") == "v-77")
        #expect(entries.first { $0.string("path") == "remote/unchecked.bin" }?.string("digest") == "s3://bucket/raw.bin")

        // Stored files come back byte for byte (references point at hosts that do not exist here).
        try await sandbox.ok(["export", "wandb", "p/imported", "--root", sandbox.path("out").path])
        for (path, data) in files { #expect(try Data(contentsOf: sandbox.path("out/\(path)")) == data, "\(path)") }
    }

    @Test("a file whose MD5 differs from its entry stores nothing and is named")
    func corruptedFile() async throws {
        let sandbox = try Sandbox()
        let folder = try writeFolder(sandbox, "art", files: files)
        var damaged = files["images/cat.png"]!
        damaged[100] ^= 0x01
        try damaged.write(to: folder.appendingPathComponent("images/cat.png"))
        let failed = try await sandbox.fails(["import", "wandb", folder.path, "-n", "p/bad"])
        #expect(failed.stderr.contains("images/cat.png") && failed.stderr.contains("MD5"), "\(failed)")
        #expect(failed.stderr.contains(Self.md5(files["images/cat.png"]!)), "\(failed)")
        #expect(try await sandbox.run(["ls", "p/bad"]).status != 0)
    }

    @Test("a manifest of another version or storage policy is refused in one line, naming the field")
    func unreadableManifest() async throws {
        let sandbox = try Sandbox()
        let folder = try writeFolder(sandbox, "art", files: files)
        let path = folder.appendingPathComponent("wandb_manifest.json")
        let good = try String(contentsOf: path, encoding: .utf8)
        for (broken, expected) in [(good.replacingOccurrences(of: "\"version\":1", with: "\"version\":2"), "manifest version 2"),
                                   (good.replacingOccurrences(of: "wandb-storage-policy-v1", with: "other"), "storagePolicy"),
                                   ("{\"version\": 1}", "missing")] {
            try broken.write(to: path, atomically: true, encoding: .utf8)
            let failed = try await sandbox.fails(["import", "wandb", folder.path, "-n", "p/bad"])
            #expect(failed.stderr.contains(expected), "\(failed)")
        }
        #expect(try await sandbox.run(["ls", "p/bad"]).status != 0)
    }

    @Test("files missing from the folder are found in the reference's cache layout with --wandb-cache")
    func cacheLayout() async throws {
        let sandbox = try Sandbox()
        let folder = try writeFolder(sandbox, "art", files: files, omit: ["images/cat.png"])
        let data = files["images/cat.png"]!
        let hex = Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
        try sandbox.write("wandb-cache/artifacts/obj/md5/\(hex.prefix(2))/\(hex.dropFirst(2))", data)

        let missing = try await sandbox.fails(["import", "wandb", folder.path, "-n", "p/c"])
        #expect(missing.stderr.contains("images/cat.png") && missing.stderr.contains("--wandb-cache"), "\(missing)")
        try await sandbox.ok(["import", "wandb", folder.path, "-n", "p/c", "--wandb-cache", sandbox.path("wandb-cache").path])
        try await sandbox.ok(["get", "p/c", "--root", sandbox.path("out").path])
        #expect(try filesUnder(sandbox.path("out")) == files)
    }

    @Test("import then export gives back the same manifest entries, and the sidecar carries type and metadata")
    func roundTrip() async throws {
        let sandbox = try Sandbox()
        let folder = try writeFolder(sandbox, "art", files: files, extra: referenceEntries)
        try await sandbox.ok(["import", "wandb", folder.path, "-n", "p/rt", "-t", "model", "--metadata", #"{"k": [1, 2]}"#])
        let out = sandbox.path("exported")
        let export = try await sandbox.ok(["export", "wandb", "p/rt", "--root", out.path])
        #expect(export.stdout.contains("3 files, 4 references"), "\(export)")
        #expect(try contents(ofManifestIn: out) == contents(ofManifestIn: folder))

        // The exported folder imports again to the same version: same paths, same content, same references.
        try await sandbox.ok(["import", "wandb", out.path, "-n", "p/rt2"])
        let first = try await sandbox.show("p/rt"), second = try await sandbox.show("p/rt2")
        #expect(first.string("digest") == second.string("digest"))
        #expect(second.string("type") == "model" && second.object("metadata")["k"] as? [Int] == [1, 2], "\(second)")
    }

    @Test("the reference's own Python client loads the export and its digests match the files")
    func checkedByReferenceClient() async throws {
        guard let python = ProcessInfo.processInfo.environment["ARTTUI_TEST_WANDB_PYTHON"] else {
            print("skipped: set ARTTUI_TEST_WANDB_PYTHON to a python with wandb==0.31.0 installed to run this test")
            return
        }
        let sandbox = try Sandbox()
        let own = try sandbox.writeTree("own", files)
        let shared = try sandbox.write("shared/ref.txt", Data("referenced bytes".utf8))
        try await sandbox.ok(["put", own.path, "-n", "p/w", "--reference", "file://\(shared.path)"])
        let out = sandbox.path("exported")
        try await sandbox.ok(["export", "wandb", "p/w", "--root", out.path])

        let script = try sandbox.write("check.py", Data(Self.checkScript.utf8))
        let check = try await CapturedProcess.run(
            python, [script.path, out.path], environment: ["WANDB_MODE": "offline", "WANDB_SILENT": "true",
                                                          "HOME": sandbox.path("home").path,
                                                          "WANDB_DIR": sandbox.path("wandb").path],
            outputs: sandbox.root, timeout: 120)
        let output = check.stdout + check.stderr
        #expect(check.termination.succeeded && !check.timedOut, "the reference's client rejected the export:\n\(output)")
        #expect(output.contains("checked 4 entries"), "\(output)")
    }

    /// Loads the manifest with the reference's own classes and checks every digest with its MD5 helper;
    /// then has its `Artifact.add_dir` hash the folder itself and compares.
    private static let checkScript = """
        import json, os, sys
        from wandb.sdk.artifacts.artifact_manifest import ArtifactManifest
        from wandb.sdk.lib.hashutil import md5_file_b64
        import wandb
        root = sys.argv[1]
        with open(os.path.join(root, "wandb_manifest.json")) as f:
            manifest = ArtifactManifest.from_manifest_json(json.load(f))
        assert manifest.to_manifest_json()["storagePolicy"] == "wandb-storage-policy-v1"
        for path, entry in manifest.entries.items():
            if entry.ref is None:
                local = os.path.join(root, path)
            else:
                assert entry.ref.startswith("file://"), entry.ref
                local = entry.ref[len("file://"):]
            assert md5_file_b64(local) == entry.digest, (path, md5_file_b64(local), entry.digest)
            assert os.path.getsize(local) == entry.size, (path, entry.size)
        artifact = wandb.Artifact("check", type="dataset")
        artifact.add_dir(root)
        theirs = artifact.manifest.entries
        for path, entry in manifest.entries.items():
            if entry.ref is None:
                assert theirs[path].digest == entry.digest, (path, theirs[path].digest, entry.digest)
        print("checked %d entries, manifest digest %s" % (len(manifest.entries), manifest.digest()))
        """
}
