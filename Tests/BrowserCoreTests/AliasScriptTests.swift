import ArtifactStore
import BrowserCore
import BrowserTestSupport
import Testing

/// Opens capsule-gpt/model with the cursor on v7 (latest); v6 is prod, v5 best.
func modelSession(_ store: FixtureStore = FixtureStore(), width: Int = 80, height: Int = 24) -> ScriptedSession {
    var session = ScriptedSession(store: store, width: width, height: height)
    session.press("<Enter>j<Enter>")
    return session
}

func modelVersion(_ store: FixtureStore, _ index: Int) throws -> ArtifactVersion {
    try #require(try store.versions(project: "capsule-gpt", artifact: "model", offset: 0, limit: 100).first { $0.index == index })
}

@Suite struct AliasScriptTests {
    @Test func addsAnAlias() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("a")
        session.type("candidate")
        session.press("<Enter>")
        #expect(try modelVersion(store, 7).aliases.contains("candidate"))
        #expect(session.state.modal == nil)
        #expect(session.state.status == StatusMessage("v7 is now candidate", .success))
        #expect(session.screen.contains("[candidate]"))
    }

    @Test func asksBeforeMovingAnAliasAndNamesWhereItMovesFrom() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("a")
        session.type("best")
        session.press("<Enter>")
        #expect(session.screen.contains("best is held by v5"))
        #expect(session.screen.contains("It moves from v5 to v7"))
        session.press("<Enter>")  // focus starts on Cancel
        #expect(try modelVersion(store, 5).aliases.contains("best"))
        session.press("a")
        session.type("best")
        session.press("<Enter><Tab><Enter>")
        #expect(try modelVersion(store, 7).aliases.contains("best"))
        #expect(try !modelVersion(store, 5).aliases.contains("best"))
    }

    @Test func refusesInvalidAliasesInPlace() throws {
        var session = modelSession()
        session.press("a")
        session.type("v3")
        session.press("<Enter>")
        guard case .aliasInput(let dialog)? = session.state.modal else {
            Issue.record("the dialog should stay open")
            return
        }
        #expect(dialog.error == #"alias "v3" is managed by the store and cannot be set by hand"#)
        #expect(session.screen.contains("is managed by the store"))
        session.press("<C-u>")
        session.type("a/b")
        session.press("<Enter>")
        #expect(session.screen.contains("may not contain '/' or ':'"))
        session.press("<Esc>")
        #expect(session.state.modal == nil)
    }

    @Test func removesAnAliasPickedFromTheList() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("x")
        #expect(session.state.status?.text == "v7 has no hand-set aliases (latest is managed by the store)")
        session.press("jx")
        #expect(session.screen.contains("> prod"))
        #expect(!session.screen.contains("> latest"))
        session.press("<Enter>")
        #expect(try modelVersion(store, 6).aliases.isEmpty)
        #expect(session.state.status?.kind == .success)
    }

    @Test func editsTheDescription() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("e")
        for _ in "checkpoint step 8000 of sweep 2" { session.press("<Bksp>") }
        session.type("新しい説明 🚀")
        session.press("<C-s>")
        #expect(try modelVersion(store, 7).description == "新しい説明 🚀")
        session.press("<Tab>")
        #expect(session.screen.contains("新しい説明 🚀"))
    }

    @Test func escapeLeavesTheDescriptionAlone() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("e")
        session.type(" more")
        session.press("<Esc><Tab><Enter>")
        #expect(session.state.modal == nil)
        #expect(try modelVersion(store, 7).description == "checkpoint step 8000 of sweep 2")
    }

    @Test func ctrlCQuitsFromInsideADialog() {
        var session = modelSession()
        session.press("a<C-c>")
        #expect(session.state.wantsQuit)
    }
}
