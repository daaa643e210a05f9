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

    @Test(arguments: ["best", "v", "v1a", "version2", "prod-2024", "latest-good", "最良", "rc_1.2", "naïve"])
    func manualAliasesAreAccepted(_ alias: String) throws {
        #expect(!Alias.isManaged(alias))
        #expect(try Alias.validateManual(alias) == alias)
    }

    @Test(arguments: ["", "a/b", "a:b", "a\nb", " best", String(repeating: "a", count: 129)])
    func badAliasesAreRejected(_ alias: String) {
        #expect(throws: StoreError.self) { try Alias.validateManual(alias) }
    }

    @Test(arguments: ["my best", "a b", "it's", "$HOME", "a\"b", "x*", "50%", "a;b", "no\u{3000}space", "tab\tin"])
    func aliasesAShellCannotTypeBackAreRefusedNamingTheRule(_ alias: String) {
        #expect {
            try Alias.validateManual(alias)
        } throws: { error in
            message(of: error).hasPrefix("alias \"") && (message(of: error).hasSuffix(" may only contain letters, digits, '-', '_' and '.'")
                || message(of: error).hasSuffix(" may not contain control characters"))
        }
        // An alias set before the rule can still be named, to read or remove it.
        if !alias.contains("\t") { #expect(throws: Never.self) { try Alias.validateSyntax(alias) } }
    }

    @Test func aVersionsOwnAliasesAreKeptByAnEditButNewOnesAreChecked() throws {
        try Alias.validateManual(["old best", "new"], keeping: ["old best"])
        #expect(throws: StoreError.self) { try Alias.validateManual(["old best", "new one"], keeping: ["old best"]) }
        #expect(throws: StoreError.self) { try Alias.validateManual(["Best", "best"]) }
    }

    @Test func aliasesDifferingOnlyByCaseShareAKey() {
        #expect(Alias.key("Best") == Alias.key("BEST"))
        #expect(Alias.key("best") != Alias.key("best2"))
    }
}
