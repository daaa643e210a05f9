import ArtifactStore
import BrowserCore
import BrowserTestSupport
import Testing

/// The browser's alias editor refuses, in place, an alias outside the core's one rule, changing nothing.
@Suite struct AliasRuleScriptTests {
    @Test func anAliasWithASpaceIsRefusedNamingTheRule() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        let before = try modelVersion(store, 7).aliases
        session.press("a")
        session.type("my best")
        session.press("<Enter>")
        guard case .aliasInput(let dialog)? = session.state.modal else {
            Issue.record("the dialog should stay open")
            return
        }
        #expect(dialog.error == #"alias "my best" may only contain letters, digits, '-', '_' and '.'"#)
        #expect(try modelVersion(store, 7).aliases == before)
        session.press("<C-u>")
        session.type("my-best")
        session.press("<Enter>")
        #expect(try modelVersion(store, 7).aliases.contains("my-best"))
    }
}
