import Testing
@testable import ArtifactStore

@Suite struct ProjectScopeTests {
    @Test func parsesProjectAndArtifactScopes() throws {
        #expect(try ProjectScope(parsing: "mnist") == ProjectScope(project: "mnist"))
        #expect(try ProjectScope(parsing: "mnist/") == ProjectScope(project: "mnist"))
        #expect(try ProjectScope(parsing: "mnist/train") == ProjectScope(project: "mnist", name: "train"))
        #expect(try ProjectScope(parsing: "実験").description == "実験")
        #expect(try ProjectScope(parsing: "mnist/train").description == "mnist/train")
    }

    @Test(arguments: [
        ("", "is empty"), ("/train", "is missing the project name"), ("a/b/c", "has too many '/'"),
        ("mnist/train:v1", "may not name a version or alias here"),
        ("mnist/a b", #"is invalid: artifact name "a b""#), ("a?b", #"is invalid: project name "a?b" may not contain '?'"#),
    ])
    func rejectsBadScopes(_ text: String, _ reason: String) {
        expectInvalidAddress(text, reasonStartingWith: reason) { _ = try ProjectScope(parsing: text) }
    }
}
