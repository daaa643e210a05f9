import Testing
@testable import ArtifactStore

@Suite struct ArtifactAddressTests {
    @Test(arguments: [
        ("mnist/train", nil, "mnist", "train", ArtifactAddress.Reference.latest, "mnist/train:latest"),
        ("mnist/train:latest", nil, "mnist", "train", .latest, "mnist/train:latest"),
        ("mnist/train:LATEST", nil, "mnist", "train", .latest, "mnist/train:latest"),
        ("mnist/train:v3", nil, "mnist", "train", .index(3), "mnist/train:v3"),
        ("mnist/train:V12", nil, "mnist", "train", .index(12), "mnist/train:v12"),
        ("mnist/train:v0", nil, "mnist", "train", .index(0), "mnist/train:v0"),
        ("mnist/train:v2147483647", nil, "mnist", "train", .index(Int(Int32.max)), "mnist/train:v2147483647"),
        ("mnist/train:best", nil, "mnist", "train", .alias("best"), "mnist/train:best"),
        ("mnist/train:v1a", nil, "mnist", "train", .alias("v1a"), "mnist/train:v1a"),
        ("team/mnist/train:best", "team", "mnist", "train", .alias("best"), "team/mnist/train:best"),
        ("画像 分類/model.pt:prod", nil, "画像 分類", "model.pt", .alias("prod"), "画像 分類/model.pt:prod"),
    ] as [(String, String?, String, String, ArtifactAddress.Reference, String)])
    func parsesAddresses(
        _ text: String, _ entity: String?, _ project: String, _ name: String,
        _ reference: ArtifactAddress.Reference, _ printed: String
    ) throws {
        let address = try ArtifactAddress(parsing: text)
        #expect(address == ArtifactAddress(entity: entity, project: project, name: name, reference: reference))
        #expect(address.description == printed)
        #expect(try ArtifactAddress(parsing: printed) == address)
    }

    @Test(arguments: [
        ("", "is empty"),
        ("mnist", "has no artifact name; write PROJECT/NAME"),
        ("mnist/", "is missing the artifact name after '/'"),
        ("/train", "is missing the project name before '/'"),
        ("/mnist/train", "is missing the entity name before '/'"),
        ("a/b/c/d", "has too many '/'; write [ENTITY/]PROJECT/NAME"),
        ("mnist/train:", "has an empty reference after ':'"),
        ("mnist/train:a:b", "has more than one ':'"),
        ("mnist/train:v2147483648", "has a version number v2147483648 larger than v2147483647"),
        ("mnist/train:v99999999999999999999999", "has a version number"),
        ("mnist/a b:v1", #"is invalid: artifact name "a b" may only contain letters, digits, '-', '_' and '.'"#),
        ("mn#ist/train", #"is invalid: project name "mn#ist" may not contain '#'"#),
        ("mnist/train:be\tst", #"is invalid: alias "be\tst" may not contain control characters"#),
        ("mnist/train: best", #"is invalid: alias " best" may not start or end with a space"#),
    ])
    func rejectsBadAddresses(_ text: String, _ reason: String) {
        expectInvalidAddress(text, reasonStartingWith: reason) { _ = try ArtifactAddress(parsing: text) }
    }

    @Test func errorReadsAsOneLine() {
        #expect {
            try ArtifactAddress(parsing: "mnist/train:")
        } throws: { message(of: $0) == #"artifact address "mnist/train:" has an empty reference after ':'"# }
    }

    @Test func pathDropsTheReference() throws {
        let address = try ArtifactAddress(parsing: "team/mnist/train:v3")
        #expect(address.path == ArtifactPath(entity: "team", project: "mnist", name: "train"))
        #expect(address.path.description == "team/mnist/train")
    }
}
