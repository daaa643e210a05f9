import ArtifactStore
import ArtifactWire
import Foundation
import Testing

/// A boolean query parameter is `true`, `1`, `false` or `0`, and anything else is a 400 naming it:
/// `DELETE …/versions/{version}?delete_aliases=yes` used to be read as false and delete the version
/// (schemathesis found it once its cases reached a real version), where `include_pending=yes` was refused.
@Suite(.enabled(if: ServerFixture.enabled)) struct BooleanQueryAPITests {
    @Test func deleteVersionRefusesADeleteAliasesThatIsNotABoolean() async throws {
        try await ServerFixture.run { client, accounts, store in
            let (alice, version) = try await UploadProtocolTests.setUpWithOneVersion(accounts, client)

            for text in ["yes", "AAA", "null", ""] {
                let refused = try await alice.send(.delete, version + "?delete_aliases=\(text)")
                #expect(refused.status == .badRequest)
                #expect(try alice.decode(Problem.self, refused).detail
                    == "query parameter delete_aliases must be true or false, not \"\(text)\"")
            }
            #expect(try store.version("alice~vision/data:v0").aliases == ["latest"], "nothing was deleted")
            #expect(try await alice.send(.delete, version + "?delete_aliases=false").status == .ok)
            #expect(try await alice.send(.get, version).status == .notFound)
        }
    }
}
