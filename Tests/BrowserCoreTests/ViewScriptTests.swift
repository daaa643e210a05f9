import ArtifactStore
import BrowserCore
import BrowserTestSupport
import Testing

@Suite struct ViewScriptTests {
    @Test func cacheCleanupRefusesABadUnitThenCleansToAGoodOne() throws {
        let store = FixtureStore()
        var session = ScriptedSession(store: store, width: 80, height: 24)
        session.press("C")
        #expect(session.screen.contains("total 1.8 GiB in 4,817 files"))
        session.type("500XB")
        session.press("<Enter>")
        #expect(session.screen.contains(#"size "500XB" has an unknown unit"#))
        #expect(try store.cacheSummary().totalBytes == 1_883_242_496)
        session.press("<C-u>")
        session.type("500MB")
        session.press("<Enter>")
        #expect(try store.cacheSummary().totalBytes <= 500_000_000)
        #expect(session.screen.contains("freed 1.5 GiB (12 files)"))
        #expect(session.screen.contains("total 296 MiB in 4,805 files"))
        session.press("<Esc>")
        #expect(session.state.modal == nil)
    }

    @Test func escapeCancelsTheCacheMeasurement() {
        var session = ScriptedSession(store: FixtureStore(), width: 80, height: 24)
        session.holdEffects = true
        session.press("C")
        #expect(session.state.busy.count == 1)
        #expect(session.screen.contains("measuring the cac"))
        session.press("<Esc>")
        #expect(session.state.busy.isEmpty)
        #expect(session.pendingEffects.isEmpty)
        #expect(session.state.modal == nil)
    }

    @Test func filterAsYouTypeWithNextAndPreviousMatch() {
        var session = ScriptedSession(store: FixtureStore(), width: 80, height: 24)
        session.press("/car")
        #expect(session.state.visibleProjects.map(\.name) == ["car-vision-project"])
        session.press("<Esc>")
        #expect(session.state.visibleProjects.count == 3)

        session.press("<Enter>j<Enter>/sweep 1")
        #expect(session.state.versionRowCount == 3)  // v5, v4, v3 by description
        session.press("<Enter>")
        #expect(session.state.selectedVersion?.versionName == "v5")
        session.press("n")
        #expect(session.state.selectedVersion?.versionName == "v4")
        session.press("nn")
        #expect(session.state.selectedVersion?.versionName == "v5")
        session.press("N")
        #expect(session.state.selectedVersion?.versionName == "v3")
        session.press("<Esc>")
        #expect(session.state.versionRowCount == 8)

        session.press("/prod<Enter>")
        #expect(session.state.selectedVersion?.versionName == "v6")  // aliases match
        session.press("<Esc>/\"step\":5000<Enter>")
        #expect(session.state.selectedVersion?.versionName == "v4")  // metadata text
    }

    @Test func reloadSeesChangesFromAnotherProcess() {
        let store = FixtureStore()
        var session = modelSession(store)
        store.externallyAddVersion(project: "capsule-gpt", artifact: "model")
        #expect(session.state.versionRowCount == 8)
        session.press("r")
        #expect(session.state.versionRowCount == 9)
        #expect(session.state.selectedVersion?.versionName == "v8")
    }

    @Test func helpIsGeneratedFromTheKeyTable() {
        var session = ScriptedSession(store: FixtureStore(), width: 120, height: 60)
        let seen = session.helpScreens()
        // Three columns here: long descriptions wrap under themselves, every word still shown.
        for binding in KeyMap.bindings {
            #expect(seen.contains(binding.keyLabel) && binding.help.split(separator: " ").allSatisfy { seen.contains($0) },
                    "help lacks \(binding.keyLabel): \(binding.help)")
        }
        session.press("<Esc>")
        let footer = session.screen.split(separator: "\n").last.map(String.init) ?? ""
        for (key, hint) in KeyMap.hints(for: .browse).prefix(5) {
            #expect(footer.contains("\(key) \(hint)"))
        }
    }

    /// At 80×24 the key table is four times the screen: it scrolls, whole lines and all, instead of
    /// showing its first 20 entries with their descriptions cut.
    @Test(arguments: [(80, 24), (40, 10), (120, 40)])
    func helpScrollsToEveryBindingAtEverySize(width: Int, height: Int) {
        var session = ScriptedSession(store: FixtureStore(), width: width, height: height)
        let seen = session.helpScreens()
        #expect(seen.contains("Keys (Esc closes)"))
        #expect(seen.contains("rows 1-"), "no sign that the help goes on: \(seen)")
        // One column at 80 wide: each description whole on its line, after its keys or, for a
        // label too long for the 12-column key column (Ctrl-S/Ctrl-Enter), under it.
        for binding in KeyMap.bindings where width == 80 {
            let line = binding.keyLabel.count < 12
                ? DisplayWidth.fit(binding.keyLabel, to: 12) + binding.help
                : String(repeating: " ", count: 12) + binding.help
            #expect(seen.contains(line) && seen.contains(binding.keyLabel),
                    "help lacks the whole line of \(binding.keyLabel): \(binding.help)")
        }
        #expect(seen.contains("Close the help"))
        session.press("g")
        #expect(session.screen.contains("Quit from anywhere"), "g goes back to the top")
        #expect(session.screen.split(separator: "\n").last?.contains("j/k scroll") == true, "the footer names the help's keys")
        session.press("q")
        #expect(session.state.modal == nil)
        #expect(!session.screen.contains("Keys (Esc closes)"))
    }

    @Test func navigationKeys() {
        var session = ScriptedSession(store: FixtureStore(generatedVersions: 1000), width: 80, height: 24)
        session.press("/stress<Enter><Enter><Enter>")
        #expect(session.state.focus == .versions)
        session.press("G")
        #expect(session.state.selectedVersion?.versionName == "v0")
        session.press("g<PgDn>")
        #expect(session.state.position(.versions).cursor == 18)
        session.press("<C-d>")
        #expect(session.state.position(.versions).cursor == 27)
        session.press("<C-u><PgUp>k<Down>j")
        #expect(session.state.position(.versions).cursor == 2)
        session.press("<End><Home>")
        #expect(session.state.position(.versions).cursor == 0)
        session.press("<Tab>")
        #expect(session.state.focus == .detail)
        session.press("<S-Tab><S-Tab>")
        #expect(session.state.focus == .artifacts)
        session.press("1")
        #expect(session.state.focus == .projects)
        session.press("3h")
        #expect(session.state.focus == .artifacts)
        session.press("<Left>")
        #expect(session.state.focus == .projects)
        session.press("q")
        #expect(session.state.wantsQuit)
    }

    @Test func ctrlLAsksTheBackendToRepaintFromAnyView() throws {
        var session = ScriptedSession(store: FixtureStore(), width: 80, height: 24)
        session.press("<C-l>")
        #expect(session.state.redrawRequested)
        var inCache = ScriptedSession(store: FixtureStore(), width: 80, height: 24)
        inCache.press("C")
        #expect(!inCache.state.redrawRequested)
        inCache.press("<C-l>")
        #expect(inCache.state.redrawRequested)
        #expect(inCache.state.modal != nil, "Ctrl-L repaints; it does not close the cache view")
    }
}
