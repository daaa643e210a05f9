import Testing
@testable import ArtifactStore

@Suite struct AliasTests {
    @Test(arguments: ["latest", "LATEST", "Latest", "v0", "v12", "V12", "v007"])
    func managedAliasesCannotBeSetByHand(_ alias: String) {
        #expect(Alias.isManaged(alias))
        #expect {
            try Alias.validateManual(alias)
        } throws: { error in
            message(of: error) == "alias \"\(alias)\" is managed by the store and cannot be set by hand"
        }
    }

    @Test(arguments: ["best", "v", "v1a", "version2", "prod-2024", "latest-good", "最良"])
    func manualAliasesAreAccepted(_ alias: String) throws {
        #expect(!Alias.isManaged(alias))
        #expect(try Alias.validateManual(alias) == alias)
    }

    @Test(arguments: ["", "a/b", "a:b", "a\nb", " best", String(repeating: "a", count: 129)])
    func badAliasesAreRejected(_ alias: String) {
        #expect(throws: StoreError.self) { try Alias.validateManual(alias) }
    }

    @Test func aliasesDifferingOnlyByCaseShareAKey() {
        #expect(Alias.key("Best") == Alias.key("BEST"))
        #expect(Alias.key("best") != Alias.key("best2"))
    }
}
