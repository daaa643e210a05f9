import ArtifactStore
import ArtifactWire
import Foundation
import Testing

/// The API sets aliases under the core's one rule: an alias add, an edit and an upload's commit with an
/// alias a shell cannot type back are refused with 400 naming the alias and the rule, storing nothing.
@Suite(.enabled(if: ServerFixture.enabled)) struct AliasRuleAPITests {
    private static let rule = "may only contain letters, digits, '-', '_' and '.'"

    @Test func everyAPIPathThatSetsAnAliasFollowsTheRule() async throws {
        try await ServerFixture.run { client, accounts, store in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            let version = "/api/v1/projects/alice/vision/artifacts/data/versions/v0"

            let refusedPut = try await alice.put("alice/vision", "data", files: ["a.txt": Data("a\n".utf8)], aliases: ["my best"])
            #expect(refusedPut.response.status == .badRequest)
            #expect(try alice.decode(Problem.self, refusedPut.response).detail == "alias \"my best\" \(Self.rule)")
            #expect(try await alice.send(.get, version).status == .notFound, "a refused commit makes no version")

            #expect(try await alice.put("alice/vision", "data", files: ["a.txt": Data("a\n".utf8)]).response.status == .created)
            let refusedAdd = try await alice.send(.put, version + "/aliases/sp%20ace")
            #expect(refusedAdd.status == .badRequest)
            #expect(try alice.decode(Problem.self, refusedAdd).detail == "alias \"sp ace\" \(Self.rule)")
            let refusedEdit = try await alice.send(
                .patch, version, json: WireVersionChange(description: "changed", metadata: nil, aliases: ["ok", "a:b c"]))
            #expect(refusedEdit.status == .badRequest)
            let shown = try alice.decode(WireVersion.self, try await alice.send(.get, version))
            #expect(shown.aliases == ["latest"] && shown.description.isEmpty, "nothing changed")
            #expect(try store.version("alice~vision/data:v0").aliases == ["latest"])
        }
    }
}
