import ArtifactWire
import Hummingbird
import Foundation
import Testing

/// A version looked up in a project that exists but holds no artifact yet is an unknown artifact, not an
/// unknown project (the catalog learns a project from its first version).
@Suite(.enabled(if: ServerFixture.enabled)) struct EmptyProjectLookupTests {
    @Test func aVersionInAnEmptyProjectIsAnArtifactNotFound() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            for (method, path) in [
                (.get, "/api/v1/projects/alice/vision/artifacts/ds/versions/v0"),
                (.delete, "/api/v1/projects/alice/vision/artifacts/ds/versions/v0"),
            ] as [(HTTPRequest.Method, String)] {
                let response = try await alice.send(method, path)
                #expect(response.status == .notFound)
                #expect(try alice.decode(Problem.self, response).detail == #"artifact "alice/vision/ds" not found"#)
            }
        }
    }
}
