import ArtifactStore
import BrowserCore
import BrowserTestSupport
import Testing

@Suite struct DeleteAndPruneScriptTests {
    @Test func deleteNamesTheVersionAndExactBytesAndStartsOnCancel() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("Gd")
        #expect(session.screen.contains("Delete capsule-gpt/model:v0?"))
        #expect(session.screen.contains("Frees 200 MiB (209,715,200 bytes)"))
        session.press("<Enter>")
        #expect(try store.versionCount(project: "capsule-gpt", artifact: "model") == 8)
        session.press("d<Tab><Enter>")
        #expect(try store.versionCount(project: "capsule-gpt", artifact: "model") == 7)
        #expect(session.state.status?.text == "deleted capsule-gpt/model:v0, freed 200 MiB (209,715,200 bytes)")
        #expect(session.state.versionRowCount == 7)
    }

    @Test func deleteOffersToTakeHandSetAliasesAlong() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("jjd")
        #expect(session.screen.contains("hand-set aliases best"))
        #expect(session.screen.contains("Delete with aliases"))
        session.press("<Esc>")
        #expect(try store.versionCount(project: "capsule-gpt", artifact: "model") == 8)
        session.press("d<Left><Enter>")
        #expect(try store.versionCount(project: "capsule-gpt", artifact: "model") == 7)
        #expect(try store.aliasHolder(project: "capsule-gpt", artifact: "model", alias: "best") == nil)
    }

    @Test func pruneShowsWhatGoesStartsOnNoAndHonoursKeepLast() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("P")
        #expect(session.screen.contains("5 versions go: v4 v3 v2 v1 v0"))
        // v0…v4 added 200 MiB + n MiB each.
        #expect(session.screen.contains("Frees 1010 MiB (1,059,061,760 bytes)"))
        if case .prune(let dialog)? = session.state.modal { #expect(dialog.focus == 2) }
        session.press("<Enter>")  // No
        #expect(try store.versionCount(project: "capsule-gpt", artifact: "model") == 8)
        session.press("P<Tab>7")
        #expect(session.screen.contains("1 version goes: v0"))
        #expect(session.screen.contains("Frees 200 MiB (209,715,200 bytes)"))
        session.press("<Tab><Enter>")
        #expect(try store.versionCount(project: "capsule-gpt", artifact: "model") == 7)
        #expect(session.state.status?.text.hasPrefix("pruned 1 version,") == true)
    }

    @Test func pruneOnA40x10TerminalStillNamesWhatGoesAndWhatItFrees() throws {
        var session = modelSession(width: 40, height: 10)
        session.press("P")
        // The explanation gives way to the facts a confirmation must show.
        #expect(session.screen.contains("5 versions go: v4 v3 v2 v1 v0"))
        #expect(session.screen.contains("Frees 1010 MiB"))
        #expect(session.screen.contains("[ No ]"))
    }

    @Test func pruneRefusesAKeepLastThatIsNotANumber() throws {
        var session = modelSession()
        session.press("P<Tab>x")
        #expect(session.state.modal.flatMap { if case let .prune(dialog) = $0 { dialog.error } else { nil } }
            == "keep-last must be a whole number of 0 or more, got x")
        #expect(session.screen.contains("keep-last must be a whole number"))
        session.press("<Bksp>")
        #expect(!session.screen.contains("keep-last must be a whole number"))
    }

    @Test func pruneFromTheProjectsPaneCoversEveryArtifact() throws {
        var session = ScriptedSession(store: FixtureStore(), width: 80, height: 24)
        session.press("P")
        #expect(session.screen.contains("Prune capsule-gpt (all artifacts)?"))
        #expect(session.screen.contains("code:v0"))
    }

    @Test func storeErrorsGoToTheStatusLineInDangerStyle() throws {
        var session = ScriptedSession(store: FixtureStore(generatedVersions: 10), width: 80, height: 24)
        session.press("/stress<Enter><Enter><Enter>e<C-s>")
        #expect(session.state.status == StatusMessage("fixture: generated versions are read-only", .danger))
        let grid = session.grid
        let statusRow = grid.height - 2
        #expect((0..<grid.width).contains { grid[$0, statusRow].role == .danger })
    }
}
