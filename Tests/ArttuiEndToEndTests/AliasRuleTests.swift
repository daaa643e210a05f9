import Foundation
import GRDB
import ProcessTestSupport
import Testing

/// The one rule for new aliases (letters, digits, '-', '_' and '.'), on every path that sets
/// one; and aliases set before it (with a space) still listed, edited around and removable.
@Suite("alias rule", .childProcesses)
struct AliasRuleTests {
    private static let rule = "may only contain letters, digits, '-', '_' and '.'"

    @Test("put -a, alias add and edit --alias refuse an alias a shell cannot type back, storing nothing")
    func newAliasesFollowTheRule() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("d", ["f.txt": Data("0".utf8)])
        for bad in ["my best", "it's", "$HOME", "a\"b", "x*", "no\u{3000}space"] {
            let put = try await sandbox.fails(["put", source.path, "-n", "proj/ds", "-a", "ok", "-a", bad])
            #expect(put.stderr == "arttui: error: alias \(Self.quoted(bad)) \(Self.rule)\n", "\(put)")
        }
        #expect(try await sandbox.fails(["show", "proj/ds"]).stderr.contains("not found"), "a refused put stores nothing")

        try await sandbox.ok(["put", source.path, "-n", "proj/ds", "-a", "prod-1.2_rc"])
        let add = try await sandbox.fails(["alias", "add", "proj/ds:v0", "my best"])
        #expect(add.stderr == "arttui: error: alias \"my best\" \(Self.rule)\n", "\(add)")
        let edit = try await sandbox.fails(["edit", "proj/ds:v0", "--alias", "a b", "-d", "changed"])
        #expect(edit.stderr == "arttui: error: alias \"a b\" \(Self.rule)\n", "\(edit)")
        let shown = try await sandbox.show("proj/ds:v0")
        #expect(Set(shown.strings("aliases")) == ["latest", "prod-1.2_rc"])
        #expect(shown["description"] as? String ?? "" == "", "a refused edit changes nothing")
    }

    @Test("an alias set before the rule is listed, survives other edits, blocks a push, and alias rm removes it")
    func aliasesFromBeforeTheRule() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("d", ["f.txt": Data("0".utf8)])
        try await sandbox.ok(["put", source.path, "-n", "proj/ds"])
        // As an older arttui stored it: the alias rule then allowed inner spaces.
        let catalog = try DatabaseQueue(path: sandbox.store.appendingPathComponent("catalog.sqlite").path)
        try await catalog.write { db in
            try db.execute(sql: """
                INSERT INTO alias (artifactId, versionId, name, nameKey)
                SELECT artifactId, id, 'old best', 'old best' FROM version
                """)
        }
        #expect(Set(try await sandbox.show("proj/ds:v0").strings("aliases")) == ["latest", "old best"])
        #expect(try await sandbox.ok(["ls", "proj/ds"]).stdout.contains("old best"))
        try await sandbox.ok(["edit", "proj/ds:v0", "-d", "kept", "--alias", "new"])
        #expect(Set(try await sandbox.show("proj/ds:v0").strings("aliases")) == ["latest", "old best", "new"])

        let push = try await sandbox.fails(["push", "proj/ds", "--to", "http://127.0.0.1:1", "--into", "alice/proj"])
        #expect(push.stderr.contains("alias \"old best\" \(Self.rule)"), "\(push)")

        let removed = try await sandbox.ok(["alias", "rm", "proj/ds", "old best"])
        #expect(removed.stdout == "removed alias old best from proj/ds:v0\n", "\(removed)")
        #expect(Set(try await sandbox.show("proj/ds:v0").strings("aliases")) == ["latest", "new"])
    }

    private static func quoted(_ alias: String) -> String {
        "\"" + alias.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
