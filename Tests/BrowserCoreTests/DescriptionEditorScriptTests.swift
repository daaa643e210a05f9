import ArtifactStore
import BrowserCore
import BrowserTestSupport
import Testing

/// `e` (the multi-line editor) and `E` (`$EDITOR`), run as keys through the pure update loop.
@Suite struct DescriptionEditorScriptTests {
    static let original = "checkpoint step 8000 of sweep 2"

    @Test func writesSeveralLinesAndSavesWithCtrlS() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("e<Enter>")
        session.type("second line")
        session.press("<Enter>")
        session.type("third line")
        session.press("<C-s>")
        #expect(session.state.modal == nil)
        #expect(try modelVersion(store, 7).description == Self.original + "\nsecond line\nthird line")
        #expect(session.state.status == StatusMessage("description of v7 saved", .success))
    }

    @Test func ctrlEnterSavesToo() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("e")
        session.type("!")
        session.press("<C-Enter>")
        #expect(try modelVersion(store, 7).description == Self.original + "!")
    }

    @Test func cursorKeysHomeAndEndEditWhereTheCursorIs() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("e<Home>")
        session.type("[")
        session.press("<End>")
        session.type("]")
        session.press("<Enter>")
        session.type("b")
        session.press("<Up><End>")  // back on the first line, at its end
        session.type("!")
        session.press("<Down><Home>")
        session.type("a")
        session.press("<Left><Bksp>")  // at the line's start: joins it to the line above
        session.press("<Del>")  // deletes the a
        session.press("<C-s>")
        #expect(try modelVersion(store, 7).description == "[" + Self.original + "]!b")
    }

    @Test func upAndDownFollowTheWrappedRows() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        let long = String(repeating: "word ", count: 40)
        session.press("e")
        for _ in Self.original { session.press("<Bksp>") }
        session.type(long)
        session.press("<Home>")
        // The text wraps over several rows, so Home goes to the start of the last row, not of the line.
        guard case .description(let dialog)? = session.state.modal else {
            Issue.record("the editor should be open")
            return
        }
        #expect(dialog.editor.column > 0)
        session.press("<Up><Home>")
        session.type("X")
        session.press("<C-s>")
        let saved = try modelVersion(store, 7).description
        #expect(saved.count == long.count + 1)
        #expect(saved.contains("X") && !saved.hasPrefix("X"))
    }

    @Test func pastesManyLinesAtOnceOrAsABurstOfKeys() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("e<End>")
        session.send(.key(.paste("\nfirst pasted\nsecond pasted")))
        session.press("<Enter>")
        session.type("typed")
        session.press("<C-s>")
        #expect(try modelVersion(store, 7).description == Self.original + "\nfirst pasted\nsecond pasted\ntyped")

        // Without bracketed paste the terminal sends the text as keys, line breaks as Enter.
        session.press("e")
        for key in Keys.parse("<Enter>x<Enter>y") { session.send(.key(key)) }
        session.press("<C-s>")
        #expect(try modelVersion(store, 7).description.hasSuffix("typed\nx\ny"))
    }

    @Test func escapeAsksBeforeDroppingChangesWithFocusOnKeepingThem() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("e<Esc>")
        #expect(session.state.modal == nil, "no changes: Esc closes at once")
        session.press("e")
        session.type(" and more")
        session.press("<Esc>")
        #expect(session.screen.contains("Discard changes?"))
        session.press("<Enter>")  // Keep editing
        session.type("!")
        guard case .description(let dialog)? = session.state.modal else {
            Issue.record("Enter on the first button keeps the editor open")
            return
        }
        #expect(dialog.editor.text == Self.original + " and more!")
        session.press("<Esc><Tab><Enter>")
        #expect(session.state.modal == nil)
        #expect(try modelVersion(store, 7).description == Self.original)
    }

    @Test func refusesATextTheStoreWouldRefuseInPlace() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("e")
        session.send(.key(.paste(String(repeating: "x", count: 70_000))))
        session.press("<C-s>")
        guard case .description(let dialog)? = session.state.modal else {
            Issue.record("the editor stays open on a refusal")
            return
        }
        #expect(dialog.error?.contains("at most") == true)
        #expect(try modelVersion(store, 7).description == Self.original)
    }

    @Test func externalEditorSavesWhatTheEditorLeft() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.editor = { text in text + "\nfrom the editor\n" }
        session.press("E")
        #expect(try modelVersion(store, 7).description == Self.original + "\nfrom the editor")
        #expect(session.state.busy.isEmpty)

        session.editor = { $0 }
        session.press("E")
        #expect(session.state.status == StatusMessage("description of v7 unchanged"))

        session.editor = nil
        session.press("E")
        #expect(session.state.status == StatusMessage("no editor in this session", .danger))
        #expect(session.state.busy.isEmpty)
    }

    @Test func editorScreens() {
        var session = modelSession()
        session.press("e<End><Enter>")
        session.type("A second paragraph long enough to wrap inside the box: " + String(repeating: "tokens ", count: 12))
        assertGolden(session.screen, named: "description-editor-80x24")
        session.press("<Esc>")
        assertGolden(session.screen, named: "description-discard-80x24")
        var wide = modelSession(width: 120, height: 40)
        wide.press("e")
        assertGolden(wide.screen, named: "description-editor-120x40")
    }
}

/// The editor's chords that stand in for keys some terminals lack, and the metadata editor's
/// remaining keys.
@Suite struct EditorChordScriptTests {
    @Test func ctrlAEAndDMoveAndDeleteLikeHomeEndAndDel() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("e<C-a><C-d>")
        session.type("C")
        session.press("<C-e>")
        session.type(".")
        session.press("<C-s>")
        #expect(try modelVersion(store, 7).description == "Checkpoint step 8000 of sweep 2.")
    }

    @Test func pageUpAndDownMoveAScreenOfRows() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("e")
        session.send(.key(.paste((1...40).map { "\n\($0)" }.joined())))
        session.press("<PgUp><PgUp><PgUp><Home>")
        session.type("top ")
        session.press("<PgDn><PgDn><PgDn><PgDn><End>")
        session.type(" end")
        session.press("<C-s>")
        let lines = try modelVersion(store, 7).description.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "top checkpoint step 8000 of sweep 2")
        #expect(lines.last == "40 end")
    }

    @Test func metadataUpPicksTheLastKeyAndEscapeCloses() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("M<Up>")
        guard case .metadata(let dialog)? = session.state.modal else {
            Issue.record("the dialog should be open")
            return
        }
        #expect(dialog.key.text == "step" && dialog.value.text == "8000" && dialog.focus == 1)
        session.press("<Esc>")
        #expect(session.state.modal == nil)
        #expect(try modelVersion(store, 7).metadata.count == 2)
    }
}
