import Foundation
import ProcessTestSupport
import S3Client
import Testing

/// `put --reference s3://…` against a real S3-compatible store on loopback (SeaweedFS or rclone in
/// CI): skipped, with the reason printed, when `ARTTUI_TEST_S3_ENDPOINT` is not set.
@Suite("s3:// references", .childProcesses)
struct S3ReferenceTests {
    /// The store's client, the bucket this test made, and the environment `arttui` needs.
    private struct Store {
        var client: S3Client
        var bucket: String
        var environment: [String: String]
    }

    private func store() throws -> Store? {
        let environment = ProcessInfo.processInfo.environment
        guard environment["ARTTUI_TEST_S3_ENDPOINT"] != nil else {
            print("skipped: set ARTTUI_TEST_S3_ENDPOINT (and AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) to test s3:// references")
            return nil
        }
        let configuration = try S3Configuration.fromEnvironment(environment, endpointVariable: "ARTTUI_TEST_S3_ENDPOINT")
        let client = S3Client(configuration: configuration)
        let bucket = "arttui-refs-\(UUID().uuidString.prefix(8).lowercased())"
        try client.createBucket(bucket)
        var variables = ["ARTTUI_S3_ENDPOINT": environment["ARTTUI_TEST_S3_ENDPOINT"]!]
        for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "ARTTUI_S3_REGION"] {
            if let value = environment[name] { variables[name] = value }
        }
        return Store(client: client, bucket: bucket, environment: variables)
    }

    @discardableResult
    private func ok(_ sandbox: Sandbox, _ store: Store, _ arguments: [String],
                    sourceLocation: SourceLocation = #_sourceLocation) async throws -> CommandResult {
        let result = try await sandbox.run(arguments, environment: store.environment)
        try #require(result.status == 0 && result.stderr.isEmpty, "\(result)", sourceLocation: sourceLocation)
        return result
    }

    @Test("a prefix and an object: recorded by ETag, fetched by get, checked by HEAD; changes and deletions are caught")
    func prefixAndObject() async throws {
        guard let store = try store() else { return }
        let sandbox = try Sandbox()
        let objects = ["data/train/a.bin": SeededBytes.data(seed: 31, count: 20_000),
                       "data/train/sub/b.bin": SeededBytes.data(seed: 32, count: 300),
                       "data/labels.csv": Data("id,label\n".utf8)]
        for (key, data) in objects { try await store.client.putObject(bucket: store.bucket, key: key, data: data) }

        try await ok(sandbox, store, ["put", "-n", "p/s3", "--reference", "s3://\(store.bucket)/data/train",
                                      "--reference", "s3://\(store.bucket)/data/labels.csv"])
        let shown = try await ok(sandbox, store, ["show", "p/s3", "--files", "--json"]).jsonObject()
        let files = Dictionary(uniqueKeysWithValues: (shown["files"] as? [[String: Any]] ?? []).map {
            ($0.string("path") ?? "", $0)
        })
        #expect(Set(files.keys) == ["a.bin", "sub/b.bin", "labels.csv"], "\(shown)")
        #expect(files["a.bin"]?.string("digest")?.hasPrefix("etag:") == true)
        #expect(files["a.bin"]?.object("reference").string("uri") == "s3://\(store.bucket)/data/train/a.bin")
        #expect(shown.int("addedBytes") == 0)

        try await ok(sandbox, store, ["get", "p/s3", "--root", sandbox.path("out").path])
        #expect(try filesUnder(sandbox.path("out")) == ["a.bin": objects["data/train/a.bin"]!,
                                                       "sub/b.bin": objects["data/train/sub/b.bin"]!,
                                                       "labels.csv": objects["data/labels.csv"]!])
        try await ok(sandbox, store, ["verify", "--references"])

        try await store.client.putObject(bucket: store.bucket, key: "data/train/a.bin", data: Data("replaced".utf8))
        let changed = try await sandbox.run(["get", "p/s3", "--root", sandbox.path("out2").path], environment: store.environment)
        #expect(changed.status != 0 && changed.stderr.contains("\"a.bin\"")
                && changed.stderr.contains(files["a.bin"]?.string("digest") ?? "?"), "\(changed)")
        let allowed = try await sandbox.run(["get", "p/s3", "--root", sandbox.path("out3").path, "--allow-changed"],
                                            environment: store.environment)
        #expect(allowed.status == 0 && allowed.stderr.contains("warning: a.bin"), "\(allowed)")
        #expect(try Data(contentsOf: sandbox.path("out3/a.bin")) == Data("replaced".utf8))

        try await store.client.deleteObject(bucket: store.bucket, key: "data/labels.csv")
        let verify = try await sandbox.run(["verify", "--references", "--json"], environment: store.environment)
        let kinds = Set((try verify.jsonObject()["problems"] as? [[String: Any]] ?? []).compactMap { $0.string("kind") })
        #expect(verify.status == 1 && kinds == ["reference-changed", "reference-unavailable"], "\(verify)")
    }

    @Test("a versioned bucket: a prefix records each object's version id; get and verify use that version")
    func versionedPrefix() async throws {
        guard let store = try store() else { return }
        let sandbox = try Sandbox()
        try store.client.setBucketVersioning(store.bucket, enabled: true)
        let first = Data("first".utf8)
        let written = try await store.client.putObject(bucket: store.bucket, key: "v/a.txt", data: first)
        try await store.client.putObject(bucket: store.bucket, key: "v/gone.txt", data: Data("x".utf8))
        try await store.client.deleteObject(bucket: store.bucket, key: "v/gone.txt")
        try await ok(sandbox, store, ["put", "-n", "p/v", "--reference", "s3://\(store.bucket)/v"])
        let shown = try await ok(sandbox, store, ["show", "p/v", "--files", "--json"]).jsonObject()
        let files = shown["files"] as? [[String: Any]] ?? []
        // Deleted objects (a delete marker on top) are not current and are left out.
        #expect(files.map { $0.string("path") } == ["a.txt"], "\(shown)")
        let version = try #require(written.versionID)
        #expect(files.first?.object("reference").string("objectVersion") == version, "\(shown)")

        // Written over: the recorded version is still there and is what get fetches and verify checks.
        try await store.client.putObject(bucket: store.bucket, key: "v/a.txt", data: Data("second, longer".utf8))
        try await ok(sandbox, store, ["get", "p/v", "--root", sandbox.path("out").path])
        #expect(try Data(contentsOf: sandbox.path("out/a.txt")) == first)
        try await ok(sandbox, store, ["verify", "--references"])

        // That version deleted for good: unavailable, naming the entry.
        try store.client.deleteObject(bucket: store.bucket, key: "v/a.txt", versionID: version)
        let verify = try await sandbox.run(["verify", "--references", "--json"], environment: store.environment)
        let kinds = Set((try verify.jsonObject()["problems"] as? [[String: Any]] ?? []).compactMap { $0.string("kind") })
        #expect(verify.status == 1 && kinds == ["reference-unavailable"], "\(verify)")
        let get = try await sandbox.run(["get", "p/v", "--root", sandbox.path("out2").path], environment: store.environment)
        #expect(get.status != 0 && get.stderr.contains("a.txt"), "\(get)")
    }

    @Test("a prefix over --max-objects fails with the count and the limit; a missing one names itself")
    func limitsAndMissing() async throws {
        guard let store = try store() else { return }
        let sandbox = try Sandbox()
        for index in 0..<7 {
            try await store.client.putObject(bucket: store.bucket, key: "many/\(index).txt", data: Data("\(index)".utf8))
        }
        let over = try await sandbox.run(["put", "-n", "p/m", "--reference", "s3://\(store.bucket)/many", "--max-objects", "5"],
                                         environment: store.environment)
        #expect(over.status != 0 && over.stderr.contains("7 objects") && over.stderr.contains("limit of 5"), "\(over)")
        #expect(over.stderr.split(separator: "\n").count == 1)
        let missing = try await sandbox.run(["put", "-n", "p/m", "--reference", "s3://\(store.bucket)/nothing-here"],
                                            environment: store.environment)
        #expect(missing.status != 0 && missing.stderr.contains("nothing-here"), "\(missing)")
        #expect(try await sandbox.run(["ls", "p/m"]).status != 0)
        try await ok(sandbox, store, ["put", "-n", "p/m", "--reference", "s3://\(store.bucket)/many", "--max-objects", "7"])
    }
}
