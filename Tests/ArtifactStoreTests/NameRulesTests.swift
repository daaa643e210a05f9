import Testing
@testable import ArtifactStore

@Suite struct NameRulesTests {
    @Test(arguments: ["mnist", "a", "train-set_v2.0", "A.B-C_D", String(repeating: "x", count: 128), "..a", ".hidden"])
    func acceptsArtifactNames(_ name: String) throws {
        #expect(try NameRules.validateArtifactName(name) == name)
    }

    @Test(arguments: [
        ("", "must not be empty"),
        (String(repeating: "x", count: 129), "is longer than 128 characters"),
        ("a b", "may only contain letters, digits, '-', '_' and '.'"),
        ("a/b", "may only contain"), ("a:b", "may only contain"), ("données", "may only contain"),
        ("模型", "may only contain"), ("a\u{0}", "may only contain"),
        (".", "may not be '.' or '..'"), ("..", "may not be '.' or '..'"),
    ])
    func rejectsArtifactNames(_ name: String, _ rule: String) {
        #expect {
            try NameRules.validateArtifactName(name)
        } throws: { error in
            guard case let .invalidName(kind, value, actual)? = error as? StoreError else { return false }
            return kind == "artifact" && value == name && actual.hasPrefix(rule)
        }
    }

    @Test func artifactErrorReadsAsOneLine() {
        #expect {
            try NameRules.validateArtifactName("a b")
        } throws: { error in
            message(of: error) == #"artifact name "a b" may only contain letters, digits, '-', '_' and '.'"#
        }
    }

    @Test(arguments: [
        "mnist", "My Project", "画像分類", "プロジェクト-1", "🚀 launches", "a.b,c;d@e!", String(repeating: "界", count: 128),
        " leading space",
    ])
    func acceptsProjectNames(_ name: String) throws {
        #expect(try NameRules.validateProject(name) == name)
        #expect(try NameRules.validateEntity(name) == name)
    }

    @Test(arguments: [
        ("", "must not be empty"),
        (String(repeating: "界", count: 129), "is longer than 128 characters"),
        ("a/b", "may not contain '/'"), ("a\\b", "may not contain '\\'"), ("a#b", "may not contain '#'"),
        ("a?b", "may not contain '?'"), ("a%b", "may not contain '%'"), ("a:b", "may not contain ':'"),
        ("a\rb", "may not contain a carriage return"), ("a\nb", "may not contain a line break"),
        ("a\tb", "may not contain control characters"), ("a\u{0}b", "may not contain control characters"),
        ("a\u{7F}b", "may not contain control characters"), ("a\u{85}b", "may not contain control characters"),
        ("   ", "may not consist only of spaces"),
    ])
    func rejectsProjectNames(_ name: String, _ rule: String) {
        for (kind, validate) in [("project", NameRules.validateProject), ("entity", NameRules.validateEntity)] {
            #expect {
                try validate(name)
            } throws: { error in
                guard case let .invalidName(actualKind, value, actual)? = error as? StoreError else { return false }
                return actualKind == kind && value == name && actual == rule
            }
        }
    }

    @Test(arguments: ["dataset", "model", "Model Checkpoint", "jobs", "my-wandb-thing", "評価", String(repeating: "t", count: 128)])
    func acceptsTypes(_ type: String) throws {
        #expect(try NameRules.validateType(type) == type)
    }

    @Test(arguments: [
        ("", "must not be empty"), (String(repeating: "t", count: 129), "is longer than 128 characters"),
        ("a/b", "may not contain '/'"), ("a:b", "may not contain ':'"), ("a\nb", "may not contain control characters"),
        ("job", "is reserved"), ("JOB", "is reserved"), ("wandb-history", "is reserved"),
        ("arttui-internal", "is reserved"), ("Arttui-x", "is reserved"),
    ])
    func rejectsTypes(_ type: String, _ rule: String) {
        #expect {
            try NameRules.validateType(type)
        } throws: { error in
            guard case let .invalidName("type", value, actual)? = error as? StoreError else { return false }
            return value == type && actual == rule
        }
    }

    @Test func descriptionLimits() throws {
        let atLimit = String(repeating: "é", count: NameRules.maxDescriptionBytes / 2)  // 2 bytes each
        #expect(try NameRules.validateDescription(atLimit) == atLimit)
        #expect(try NameRules.validateDescription("") == "")
        #expect(try NameRules.validateDescription("multi\nline\ttext 🚀") == "multi\nline\ttext 🚀")
        #expect {
            try NameRules.validateDescription(atLimit + "a")
        } throws: { error in
            message(of: error) == "description is 65537 bytes long; at most 65536 bytes of UTF-8 are allowed"
        }
        #expect(throws: StoreError.invalidDescription(reason: "may not contain NUL characters")) {
            try NameRules.validateDescription("a\u{0}b")
        }
    }
}
