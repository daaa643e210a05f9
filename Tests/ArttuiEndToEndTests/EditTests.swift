import Foundation
import ProcessTestSupport
import Testing

/// `edit`: description and metadata change after the fact; the files and digest never do.
@Suite("edit", .childProcesses)
struct EditTests {
    private func oneVersion() async throws -> Sandbox {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("d", sampleTree(seed: 30))
        try await sandbox.ok(["put", source.path, "-n", "proj/ds", "-d", "original", "--metadata", #"{"a": 1, "b": "two"}"#])
        return sandbox
    }

    @Test("-d changes the description and nothing else")
    func description() async throws {
        let sandbox = try await oneVersion()
        let before = try await sandbox.show("proj/ds:v0")
        try await sandbox.ok(["edit", "proj/ds:v0", "-d", "better words"])
        let after = try await sandbox.show("proj/ds:v0")
        #expect(after.string("description") == "better words")
        #expect(after.string("digest") == before.string("digest"))
        #expect(after.object("metadata").int("a") == 1)
        #expect(after.object("metadata").string("b") == "two")
        #expect(try await sandbox.versionNames("proj/ds") == ["v0"])
    }

    @Test("--metadata replaces the whole object")
    func replaceMetadata() async throws {
        let sandbox = try await oneVersion()
        try await sandbox.ok(["edit", "proj/ds:v0", "--metadata", #"{"c": [1, 2], "d": {"e": true}}"#])
        let metadata = try await sandbox.show("proj/ds:v0").object("metadata")
        #expect(Set(metadata.keys) == ["c", "d"])
        #expect(metadata["c"] as? [Int] == [1, 2])
        #expect((metadata["d"] as? [String: Any])?["e"] as? Bool == true)
        #expect(try await sandbox.show("proj/ds:v0").string("description") == "original")
    }

    @Test("--set and --unset change single keys")
    func setAndUnset() async throws {
        let sandbox = try await oneVersion()
        try await sandbox.ok(["edit", "proj/ds:latest", "--set", "acc=0.93", "--set", #"tag="gold""#, "--unset", "b"])
        let metadata = try await sandbox.show("proj/ds:v0").object("metadata")
        #expect(Set(metadata.keys) == ["a", "acc", "tag"])
        #expect((metadata["acc"] as? NSNumber)?.doubleValue == 0.93)
        #expect(metadata.string("tag") == "gold")
        #expect(metadata.int("a") == 1)
    }

    /// A typo in --unset used to print "updated" and leave the key it was meant to remove.
    @Test("--unset of a key the metadata does not have is refused, naming the key")
    func unsetOfAMissingKeyIsRefused() async throws {
        let sandbox = try await oneVersion()
        let before = try DirectorySnapshot(sandbox.store)
        let refused = try await sandbox.fails(["edit", "proj/ds:v0", "--unset", "bb", "-d", "changed"])
        #expect(refused.stderr == "arttui: error: proj/ds:v0 has no metadata key \"bb\" to --unset (its keys: a, b)\n", "\(refused)")
        try expectUnchanged(sandbox.store, since: before, "\(refused)")
        // A key typed with a line break is named escaped, on the one line of the refusal.
        let odd = try await sandbox.fails(["edit", "proj/ds:v0", "--unset", "b\nb"])
        #expect(odd.stderr.contains(#"no metadata key "b\nb" to --unset"#), "\(odd)")
        // A key the same command sets, or the new --metadata holds, can be unset.
        try await sandbox.ok(["edit", "proj/ds:v0", "--metadata", #"{"c": 3, "d": 4}"#, "--unset", "c"])
        #expect(Set(try await sandbox.show("proj/ds:v0").object("metadata").keys) == ["d"])
        try await sandbox.ok(["edit", "proj/ds:v0", "--set", "e=5", "--unset", "e"])
        #expect(Set(try await sandbox.show("proj/ds:v0").object("metadata").keys) == ["d"])
    }

    @Test("NaN in metadata is refused naming the key; null is the way to say a value is missing")
    func nanIsRefused() async throws {
        let sandbox = try await oneVersion()
        let refused = try await sandbox.fails(["edit", "proj/ds:v0", "--metadata", #"{"loss": NaN, "ok": 1}"#])
        #expect(refused.stderr.contains(#"metadata value at "loss" is NaN"#), "\(refused)")
        try await sandbox.ok(["edit", "proj/ds:v0", "--metadata", #"{"loss": null, "ok": 1}"#])
        #expect(try await sandbox.show("proj/ds:v0").object("metadata")["loss"] is NSNull)
    }

    @Test("refused edits change nothing in the store")
    func refused() async throws {
        let sandbox = try await oneVersion()
        let cases: [[String]] = [
            ["--metadata", #"{"loss": Infinity}"#],
            ["--metadata", #"{"loss": -Infinity}"#],
            ["--set", "loss=Infinity"],
            ["--metadata", #"{"loss": NaN}"#],
            ["--set", "loss=NaN"],
            ["--metadata", "[1, 2, 3]"],
            ["--metadata", "42"],
            ["--metadata", #""text""#],
            ["--metadata", "{not json"],
            ["--set", "noequals"],
            ["--set", "=1"],
            ["--set", "key={bad"],
            ["--alias", "gold", "--alias", "Gold"],
        ]
        for arguments in cases {
            let before = try DirectorySnapshot(sandbox.store)
            let result = try await sandbox.fails(["edit", "proj/ds:v0"] + arguments)
            try expectUnchanged(sandbox.store, since: before, "\(result)")
        }
        let metadata = try await sandbox.show("proj/ds:v0").object("metadata")
        #expect(metadata.count == 2 && metadata.int("a") == 1, "\(metadata)")
    }

    @Test("metadata with 101 keys is refused, 100 accepted")
    func keyLimit() async throws {
        let sandbox = try await oneVersion()
        func object(_ count: Int) -> String {
            "{" + (0..<count).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + "}"
        }
        let before = try DirectorySnapshot(sandbox.store)
        let refused = try await sandbox.fails(["edit", "proj/ds:v0", "--metadata", object(101)])
        #expect(refused.stderr.contains("100"), "the error should name the limit: \(refused)")
        try expectUnchanged(sandbox.store, since: before)
        // --set that would push the object past 100 keys is refused too.
        try await sandbox.ok(["edit", "proj/ds:v0", "--metadata", object(100)])
        #expect(try await sandbox.show("proj/ds:v0").object("metadata").count == 100)
        let full = try DirectorySnapshot(sandbox.store)
        try await sandbox.fails(["edit", "proj/ds:v0", "--set", "extra=1"])
        try expectUnchanged(sandbox.store, since: full)
        // And put with 101 keys stores nothing.
        let source = try sandbox.writeTree("new", ["n.txt": Data("n".utf8)])
        try await sandbox.fails(["put", source.path, "-n", "proj/ds", "--metadata", object(101)])
        #expect(try await sandbox.versionNames("proj/ds") == ["v0"])
    }

    @Test("edit with nothing to change is an error")
    func nothingToChange() async throws {
        let sandbox = try await oneVersion()
        try await sandbox.fails(["edit", "proj/ds:v0"])
    }
}
