import ArtifactStore
import ArtifactWire
import Foundation
import Testing

/// PostgreSQL's `jsonb` cannot hold a NUL character: metadata or a run's config with one in a key or a
/// string used to reach the catalog and come back 503 "unsupported Unicode escape sequence" (schemathesis
/// found it through an edit). The core's metadata rule refuses it, so the API answers 400 naming where it
/// is, and nothing stored changes.
@Suite(.enabled(if: ServerFixture.enabled)) struct NulCharacterAPITests {
    @Test func metadataWithANulCharacterIsRefusedWith400() async throws {
        try await ServerFixture.run { client, accounts, store in
            let (alice, version) = try await UploadProtocolTests.setUpWithOneVersion(accounts, client)

            let cases: [([String: JSONValue], String)] = [
                (["a\u{0}b": .int(1)], #"metadata key "a\u{00}b" contains a NUL character, which is not allowed"#),
                (["net": .object(["act": .string("re\u{0}lu")])],
                 #"metadata value at "net.act" contains a NUL character, which is not allowed"#),
                (["tags": .array([.string("ok"), .string("\u{0}")])],
                 #"metadata value at "tags[1]" contains a NUL character, which is not allowed"#),
            ]
            for (metadata, detail) in cases {
                let refused = try await alice.send(.patch, version, json: WireVersionChange(description: "changed", metadata: metadata))
                #expect(refused.status == .badRequest)
                #expect(try alice.decode(Problem.self, refused).detail == detail)
            }
            let shown = try alice.decode(WireVersion.self, try await alice.send(.get, version))
            #expect(shown.description.isEmpty && shown.metadata.isEmpty, "nothing changed")
            #expect(try store.version("alice~vision/data:v0").metadata.isEmpty)

            let run = try await alice.send(
                .post, "/api/v1/projects/alice/vision/runs", json: WireRunStart(id: "r1", config: ["lr\u{0}": .double(0.1)]))
            #expect(run.status == .badRequest)
            #expect(try alice.decode(Problem.self, run).detail
                == #"metadata key "lr\u{00}" contains a NUL character, which is not allowed"#)
            #expect(try await alice.send(.get, "/api/v1/runs/r1").status == .notFound, "a refused start makes no run")
        }
    }
}
