import Testing
@testable import ArtifactStore

@Suite struct ArtifactPathTests {
    @Test func parsesPathsWithAndWithoutEntity() throws {
        #expect(try ArtifactPath(parsing: "mnist/train") == ArtifactPath(project: "mnist", name: "train"))
        #expect(try ArtifactPath(parsing: "me/mnist/train") == ArtifactPath(entity: "me", project: "mnist", name: "train"))
        #expect(try ArtifactPath(parsing: "me/mnist/train").description == "me/mnist/train")
    }

    @Test(arguments: [
        ("mnist/train:v1", "may not name a version or alias here; leave out the ':' part"),
        ("mnist/train:", "may not name a version or alias here"),
        ("mnist", "has no artifact name"),
        ("mnist/..", #"is invalid: artifact name ".." may not be '.' or '..'"#),
    ])
    func rejectsReferencesAndBadNames(_ text: String, _ reason: String) {
        expectInvalidAddress(text, reasonStartingWith: reason) { _ = try ArtifactPath(parsing: text) }
    }
}
