import ArtifactStore
import ArtifactWire
@testable import ArttuiServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `GET /api/v1/versions` (find) and `GET …/versions/{version}/diff` through the API: the core's
/// answers, limited to what the caller may read.
@Suite(.enabled(if: ServerFixture.enabled)) struct SearchAndDiffTests {
    /// Puts files as a version and sets its metadata; returns the version.
    private func put(
        _ session: Session, _ project: String, _ artifact: String, _ files: [String: String], _ metadata: [String: JSONValue]
    ) async throws -> WireVersion {
        let put = try await session.put(project, artifact, files: files.mapValues { Data($0.utf8) })
        #expect(put.response.status == .created)
        let version = try session.decode(CommitResponse.self, put.response).version
        let edited = try await session.send(
            .patch, "/api/v1/projects/\(project)/artifacts/\(artifact)/versions/\(version.version)",
            json: WireVersionChange(metadata: metadata))
        #expect(edited.status == .ok)
        return try session.decode(WireVersion.self, edited)
    }

    private func find(_ session: Session, _ query: WireSearchQuery) async throws -> TestResponse {
        var components = URLComponents()
        components.path = "/api/v1/versions"
        components.queryItems = query.queryItems
        return try await session.send(.get, components.string!)
    }

    private func names(_ session: Session, _ query: WireSearchQuery) async throws -> [String] {
        let response = try await find(session, query)
        #expect(response.status == .ok)
        return try session.decode(WireSearchResult.self, response).versions.map { "\($0.project)/\($0.name):\($0.version)" }
    }

    @Test func findAnswersFromEveryProjectTheCallerMayReadAndNoOther() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            let bob = Session(client: client, token: try await accounts.addUser("bob", admin: false))
            let anyone = Session(client: client, token: nil)
            #expect(try await bob.send(.post, "/api/v1/projects", json: ["entity": "bob", "name": "secret"]).status == .created)
            #expect(try await alice.send(
                .post, "/api/v1/projects", json: ["entity": "alice", "name": "pub", "visibility": "public"]).status == .created)
            _ = try await put(alice, "alice/vision", "model", ["w": "1"], ["acc": .double(0.9), "tags": .array([.string("base")])])
            _ = try await put(alice, "alice/vision", "model", ["w": "2"], ["acc": .double(0.96)])
            _ = try await put(bob, "bob/secret", "model", ["w": "3"], ["acc": .double(0.95)])
            _ = try await put(alice, "alice/pub", "data", ["d": "4"], ["acc": .double(0.97), "note": .string("shared")])

            let sorted = WireSearchQuery(conditions: ["acc > 0.92"], sort: "name")
            #expect(try await names(alice, sorted) == ["alice/pub/data:v0", "alice/vision/model:v1"])
            #expect(try await names(bob, sorted) == ["alice/pub/data:v0", "bob/secret/model:v0"])
            #expect(try await names(anyone, sorted) == ["alice/pub/data:v0"])
            // Several conditions AND; sort descending by a key; limit.
            #expect(try await names(alice, WireSearchQuery(conditions: ["acc exists", "not note exists"], sort: "-acc")) == [
                "alice/vision/model:v1", "alice/vision/model:v0"])
            #expect(try await names(alice, WireSearchQuery(conditions: [#"tags contains "base""#])) == ["alice/vision/model:v0"])
            let limited = try await find(alice, WireSearchQuery(sort: "acc", limit: 1))
            #expect(try alice.decode(WireSearchResult.self, limited).versions.map(\.version) == ["v0"])
            #expect(try await names(alice, WireSearchQuery(project: "alice/vision", alias: "latest")) == ["alice/vision/model:v1"])
            #expect(try await names(alice, WireSearchQuery(type: "nope")) == [])
            // A project the caller may not read is not found, exactly as one that does not exist.
            let hidden = try await find(alice, WireSearchQuery(project: "bob/secret"))
            let missing = try await find(alice, WireSearchQuery(project: "bob/none"))
            #expect(hidden.status == .notFound && missing.status == .notFound)
            #expect(try alice.decode(Problem.self, hidden).detail == #"project "bob/secret" not found"#)
        }
    }

    @Test func aBadExpressionIsA400SayingWhereAndOtherBadParametersAreNamed() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            let bad = try await find(alice, WireSearchQuery(conditions: ["acc > 1", "acc > and"]))
            #expect(bad.status == .badRequest)
            let problem = try alice.decode(Problem.self, bad)
            let query = try #require(problem.query)
            #expect(query.parameter == "where" && query.index == 1 && query.expression == "acc > and" && query.offset == 6)
            #expect(problem.detail.hasPrefix("where: ") && !problem.detail.contains("\n"))
            #expect(try await find(alice, WireSearchQuery(sort: "-")).status == .badRequest)
            #expect(try await alice.send(.get, "/api/v1/versions?colour=red").status == .badRequest)
            #expect(try await alice.send(.get, "/api/v1/versions?limit=0").status == .badRequest)
            #expect(try await alice.send(.get, "/api/v1/versions?limit=1001").status == .badRequest)
            let date = try await alice.send(.get, "/api/v1/versions?created_after=yesterday")
            #expect(try alice.decode(Problem.self, date).detail.contains("created_after \"yesterday\" is not a date"))
        }
    }

    @Test func diffComparesWithThePreviousVersionOrTheNamedBase() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            let bob = Session(client: client, token: try await accounts.addUser("bob", admin: false))
            #expect(try await bob.send(.post, "/api/v1/projects", json: ["entity": "bob", "name": "secret"]).status == .created)
            _ = try await put(bob, "bob/secret", "model", ["w": "x"], [:])
            let path = "/api/v1/projects/alice/vision/artifacts/model/versions"
            _ = try await put(alice, "alice/vision", "model", ["keep": "same", "edit": "one", "old/name": "moved"], ["acc": .double(0.9)])
            _ = try await put(alice, "alice/vision", "model", ["keep": "same", "edit": "one two", "new/name": "moved", "add": "+"], [
                "acc": .double(0.95), "note": .null,
            ])
            let response = try await alice.send(.get, "\(path)/v1/diff")
            #expect(response.status == .ok)
            let diff = try alice.decode(WireDiff.self, response)
            #expect(diff.base.version == "v0" && diff.target.version == "v1" && diff.target.project == "alice/vision")
            #expect(diff.files.map { "\($0.kind.rawValue) \($0.path)" } == ["added add", "modified edit", "renamed new/name"])
            #expect(diff.files[1].base?.size == 3 && diff.files[1].target?.size == 7)
            #expect(diff.files[2].base?.path == "old/name")
            #expect(diff.metadata == [
                WireMetadataChange(MetadataDifference(key: "acc", kind: .changed, base: .double(0.9), target: .double(0.95))),
                WireMetadataChange(MetadataDifference(key: "note", kind: .added, base: nil, target: .null)),
            ])
            #expect(diff.aliasesAdded == ["latest"] && diff.aliasesRemoved == [] && !diff.descriptionChanged)
            // The other way round, with the base named, in the artifact or by its full address.
            let back = try alice.decode(WireDiff.self, try await alice.send(.get, "\(path)/v0/diff?base=latest"))
            #expect(back.files.map { "\($0.kind.rawValue) \($0.path)" } == ["removed add", "modified edit", "renamed old/name"])
            let full = try await alice.send(.get, "\(path)/v1/diff?base=alice/vision/model:v0")
            #expect(try alice.decode(WireDiff.self, full) == diff)
            #expect(try await alice.send(.get, "\(path)/v0/diff").status == .notFound, "v0 has no version before it")
            #expect(try await alice.send(.get, "\(path)/v1/diff?base=v9").status == .notFound)
            #expect(try await alice.send(.get, "\(path)/v1/diff?base=bob/secret/model:v0").status == .notFound)
            #expect(try await alice.send(.get, "\(path)/v1/diff?base=a:b:c").status == .badRequest)
            #expect(try await Session(client: client, token: nil).send(.get, "\(path)/v1/diff").status == .notFound)
        }
    }
}
