import ArtifactStore
import BrowserCore
import BrowserTestSupport
import Testing

/// `D`, `m` and `F`: the diff view (colours by kind, patches on Enter) and the search view (errors with a
/// caret, Enter jumps), driven by keys through the pure update loop.
@Suite struct DiffSearchScriptTests {
    /// car-vision-project/bike-dataset, versions pane, cursor on v4.
    private func onBikeDataset(width: Int = 120, height: Int = 40) -> ScriptedSession {
        var session = ScriptedSession(store: FixtureStore(), width: width, height: height)
        session.press("j<Enter><Enter>")
        return session
    }

    private func diffView(_ session: ScriptedSession) -> DiffViewState? {
        if case .diff(let view)? = session.state.modal { return view }
        return nil
    }

    @Test func dDiffsAgainstThePreviousVersionWithFilesColouredByKind() throws {
        var session = onBikeDataset()
        #expect(session.state.selectedVersion?.qualifiedName == "car-vision-project/bike-dataset:v4")
        session.press("D")
        let view = try #require(diffView(session))
        #expect(view.base?.versionName == "v3")
        let diff = try #require(view.diff)
        #expect(diff.count(.added) == 40)
        #expect(diff.count(.modified) == 1320)
        #expect(session.screen.contains("Diff · v3 → car-vision-project/bike-dataset:v4"))
        #expect(session.screen.contains("files: 40 added, 0 removed, 1,320 modified, 0 renamed")
            || session.screen.contains("files: 40 added, 0 removed, 1320 modified, 0 renamed"))
        #expect(session.screen.contains("metadata ~ images: 1320 → 1360"))
        // The cursor starts on the first file; added rows are drawn as success, modified as warning.
        let grid = session.grid
        let firstAdded = try #require(diff.files.firstIndex { $0.kind == .added })
        #expect(view.row(view.infoRows.count + firstAdded) == DiffRow(text: "A  images/01320.jpg  43.7 KiB", role: .success))
        let modifiedRow = try #require((0..<grid.height).first { grid.line($0).contains("M  images/00001.jpg") })
        let column = { (row: Int) in grid.line(row).distance(from: grid.line(row).startIndex, to: grid.line(row).firstIndex(of: "i")!) }
        #expect(grid[column(modifiedRow), modifiedRow].role == .warning)
        session.press("<Esc>")
        #expect(session.state.modal == nil)
    }

    @Test func mMarksAVersionAndDDiffsAgainstIt() throws {
        var session = onBikeDataset()
        session.press("jjm")
        #expect(session.state.markedVersion?.versionName == "v2")
        #expect(session.state.status?.text.contains("marked car-vision-project/bike-dataset:v2") == true)
        session.press("gD")
        let view = try #require(diffView(session))
        #expect(view.base?.versionName == "v2")
        #expect(view.target.versionName == "v4")
        #expect(session.screen.contains("aliases: +latest -golden"))
        session.press("<Esc>jjjm")
        #expect(session.state.markedVersion?.versionName == "v1")
        session.press("m")
        #expect(session.state.markedVersion == nil)
    }

    @Test func colonDiffOpensTheSameViewAsD() throws {
        // `:diff v2` on v4 gives what `m` on v2 then `D` on v4 gives.
        var marked = onBikeDataset()
        marked.press("jjmggD")
        let byKey = try #require(diffView(marked))
        var session = onBikeDataset()
        session.press(":")
        session.type("diff v2")
        session.press("<Enter>")
        let byCommand = try #require(diffView(session))
        #expect(byCommand.base?.versionName == "v2")
        #expect(byCommand.target.versionName == "v4")
        #expect(byCommand.diff == byKey.diff)
        #expect(session.screen.contains("aliases: +latest -golden"))
        // An alias names the base too; without REF it is the version before, as D without a mark.
        session.press("<Esc>:")
        session.type("diff golden")
        session.press("<Enter>")
        #expect(diffView(session)?.base?.versionName == "v2")
        session.press("<Esc>:")
        session.type("diff")
        session.press("<Enter>")
        #expect(diffView(session)?.base?.versionName == "v3")
        #expect(session.state.commandHistory.suffix(3) == ["diff v2", "diff golden", "diff"])
    }

    @Test func colonDiffNamesAMissingBase() {
        var session = onBikeDataset()
        session.press(":")
        session.type("diff v9")
        session.press("<Enter>")
        #expect(session.state.modal == nil)
        #expect(session.state.status?.text == "car-vision-project/bike-dataset has no version v9")
        session.press(":")
        session.type("diff nosuch")
        session.press("<Enter>")
        #expect(session.state.status?.text == "no version of car-vision-project/bike-dataset has the alias nosuch")
        session.press(":")
        session.type("diff v1 v2")
        session.press("<Enter>")
        #expect(session.screen.contains("diff takes one REF, not 2"))
    }

    @Test func theFirstVersionHasNothingToDiffAgainst() {
        var session = onBikeDataset()
        session.press("GD")
        #expect(session.state.modal == nil)
        #expect(session.state.status?.text == "v0 is the first version; mark another with m to diff against")
    }

    @Test func enterOnATextFileShowsItsColouredPatchAndEscClosesIt() throws {
        // capsule-gpt/code v1 against v0: every module changed.
        var session = ScriptedSession(store: FixtureStore(), width: 100, height: 30)
        session.press("<Enter>")
        for _ in 0..<4 where session.state.selectedArtifact?.name != "code" { session.press("j") }
        session.press("<Enter>D")
        let view = try #require(diffView(session))
        #expect(view.target.qualifiedName == "capsule-gpt/code:v1")
        #expect(view.change(at: view.position.cursor)?.path == "src/module_0.py")
        session.press("<Enter>")
        let patch = try #require(diffView(session)?.patch?.lines)
        #expect(patch.first == "--- a/src/module_0.py")
        #expect(patch.contains { $0.hasPrefix("-digest ") } && patch.contains { $0.hasPrefix("+digest ") })
        let grid = session.grid
        let plus = try #require((0..<grid.height).first { grid.line($0).contains("+digest") })
        let start = grid.line(plus).distance(from: grid.line(plus).startIndex, to: grid.line(plus).firstIndex(of: "+")!)
        #expect(grid[start, plus].role == .success)
        #expect(session.screen.contains("Patch · src/module_0.py"))
        assertGolden(session.screen, named: "patch-100x30")
        session.press("<Esc>")
        #expect(diffView(session)?.patch == nil)
        session.press("q")
        #expect(session.state.modal == nil)
    }

    @Test func aBinaryFileSaysSo() throws {
        var session = onBikeDataset(width: 80, height: 24)
        session.press("D<Enter>")
        #expect(diffView(session)?.patch?.lines == ["Binary file images/00000.jpg differs"])
    }

    @Test func fSearchesTheWholeStoreAndEnterJumpsToTheVersion() throws {
        var session = ScriptedSession(store: FixtureStore(), width: 100, height: 30)
        session.press("F")
        session.type("loss <= 1")
        session.press("<Enter>")
        guard case .search(let view)? = session.state.modal else {
            Issue.record("search view should be open")
            return
        }
        #expect(view.results?.map(\.qualifiedName) == ["capsule-gpt/model:v7", "capsule-gpt/model:v6"])
        #expect(session.screen.contains("2 versions match"))
        assertGolden(session.screen, named: "search-100x30")
        session.press("j<Enter>")
        #expect(session.state.modal == nil)
        #expect(session.state.focus == .versions)
        #expect(session.state.selectedVersion?.qualifiedName == "capsule-gpt/model:v6")
    }

    @Test func aSearchKeepsTheExpressionAsTypedBesideTheQueryParsedFromIt() throws {
        // A team server is sent the text and parses it itself: it must be what the query was parsed from.
        let search = try BrowserSearch(expression: "loss <= 1 and not (epochs = 3)", limit: 7)
        #expect(search.expression == "loss <= 1 and not (epochs = 3)")
        #expect(search.query == VersionQuery(
            conditions: [try QueryParser.parse("loss <= 1 and not (epochs = 3)")], limit: 7))
        #expect(throws: QueryError.self) { try BrowserSearch(expression: "loss > high", limit: nil) }
    }

    @Test func aFoundVersionOfAnArtifactMadeSinceTheListWasReadIsJumpedTo() throws {
        let store = FixtureStore()
        var session = ScriptedSession(store: store, width: 100, height: 30)
        session.press("<Enter>")
        let project = try #require(session.state.selectedProject?.name)
        #expect(session.state.artifacts[project]?.contains { $0.name == "late" } == false)
        store.externallyAddArtifact(project: project, name: "late", files: 4321)
        session.press("F")
        session.type("files = 4321")
        session.press("<Enter>")
        #expect(session.screen.contains("1 versions match"))
        session.press("<Enter>")
        #expect(session.state.modal == nil)
        #expect(session.state.status?.text.contains("gone") != true, "\(String(describing: session.state.status))")
        #expect(session.state.selectedVersion?.qualifiedName == "\(project)/late:v0")
        #expect(session.state.focus == .versions)
    }

    @Test func aBadExpressionShowsTheReasonAndACaretUnderTheColumn() throws {
        var session = ScriptedSession(store: FixtureStore(), width: 100, height: 30)
        session.press("F")
        session.type("loss > high")
        session.press("<Enter>")
        let screen = session.screen.split(separator: "\n").map(String.init)
        let input = try #require(screen.firstIndex { $0.contains("where: loss > high") })
        let caret = try #require(screen[input + 1].firstIndex(of: "^"))
        let h = try #require(screen[input].range(of: "high")?.lowerBound)
        #expect(screen[input].distance(from: screen[input].startIndex, to: h)
            == screen[input + 1].distance(from: screen[input + 1].startIndex, to: caret))
        #expect(screen[input + 2].contains("found the bare word 'high'"))
        session.press("<Bksp><Bksp><Bksp><Bksp>")
        session.type("2")
        session.press("<Enter>")
        if case .search(let view)? = session.state.modal {
            #expect(view.error == nil)
            #expect(view.results?.map(\.versionName) == ["v1", "v0"])
        }
        session.press("<Esc>")
        #expect(session.state.modal == nil)
    }

    @Test func diffScreenGolden() {
        var session = onBikeDataset()
        session.press("D")
        assertGolden(session.screen, named: "diff-120x40")
        for (width, height) in [(1, 1), (20, 5), (40, 10)] {
            session.resize(width, height)
            _ = session.screen  // no crash at any size
        }
    }
}
