import ArtifactStore
import BrowserCore
import BrowserTestSupport
import Testing

/// `:`: commands on the selection, with Tab completion and ↑/↓ history, going through the same
/// update code as the keys.
@Suite struct CommandLineScriptTests {
    @Test func aliasAddTakesTheSamePathAsTheKey() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press(":")
        session.type("alias add candidate")
        session.press("<Enter>")
        #expect(try modelVersion(store, 7).aliases.contains("candidate"))
        #expect(session.state.status == StatusMessage("v7 is now candidate", .success))
        // An alias another version holds asks first, as `a` does.
        session.press(":")
        session.type("alias add best")
        session.press("<Enter>")
        #expect(session.screen.contains("best is held by v5"))
        session.press("<Tab><Enter>")
        #expect(try modelVersion(store, 7).aliases.contains("best"))
    }

    @Test func aliasRmDescribeAndGet() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("j:")
        session.type("alias rm prod")
        session.press("<Enter>")
        #expect(try modelVersion(store, 6).aliases.isEmpty)
        session.press(":")
        session.type("describe \"a better one\" now")
        session.press("<Enter>")
        #expect(try modelVersion(store, 6).description == "a better one now")
        session.press(":")
        session.type("get --root /tmp/out")
        session.press("<Enter>")
        #expect(store.callLog.contains("download(capsule-gpt/model:v6, /tmp/out)"))
        #expect(session.state.status?.text == "wrote 4 files (500 MiB) to /tmp/out")
    }

    @Test func pruneOpensThePruneDialogWithTheCountFilledIn() {
        var session = modelSession()
        session.press(":")
        session.type("prune --keep-last 3")
        session.press("<Enter>")
        guard case .prune(let dialog)? = session.state.modal else {
            Issue.record("the prune dialog should be open")
            return
        }
        #expect(dialog.keepLast.text == "3")
        #expect(dialog.focus == 2, "focus on No, as with P")
        #expect(session.screen.contains("5 versions go: v4 v3 v2 v1 v0"))
    }

    @Test func tabCompletesCommandsOptionsAndAliases() {
        var session = modelSession()
        session.press("j:al<Tab>")
        #expect(commandText(session) == "alias ")
        session.press("<Tab>")
        #expect(candidates(session) == ["add", "rm"])
        session.type("r")
        session.press("<Tab>")
        #expect(commandText(session) == "alias rm ")
        session.press("<Tab>")
        #expect(commandText(session) == "alias rm prod ")
        session.press("<Esc>:pr<Tab><Tab>")
        #expect(commandText(session) == "prune --keep-last ")
    }

    @Test func historyStepsBackAndForth() {
        var session = modelSession()
        session.press(":")
        session.type("describe one")
        session.press("<Enter>:")
        session.type("describe two")
        session.press("<Enter>:")
        session.type("draft")
        session.press("<Up>")
        #expect(commandText(session) == "describe two")
        session.press("<Up><Up>")
        #expect(commandText(session) == "describe one")
        session.press("<Down>")
        #expect(commandText(session) == "describe two")
        session.press("<Down>")
        #expect(commandText(session) == "draft")
    }

    @Test func mistakesStayOnTheLine() throws {
        var session = modelSession()
        session.press(":")
        session.type("frobnicate")
        session.press("<Enter>")
        #expect(session.screen.contains("unknown command \"frobnicate\""))
        session.press("<C-u>")
        session.type("prune --keep-last many")
        session.press("<Enter>")
        #expect(session.screen.contains("--keep-last must be a whole number of 0 or more, got many"))
        session.press("<C-u>")
        session.type("alias add")
        session.press("<Enter>")
        #expect(session.screen.contains("alias add takes one NAME"))
        session.press("<Esc>")
        #expect(session.state.modal == nil)
    }

    @Test func commandLineScreen() {
        var session = modelSession()
        session.press(":<Tab>")
        assertGolden(session.screen, named: "command-line-80x24")
    }

    private func commandText(_ session: ScriptedSession) -> String? {
        guard case .commandLine(let line)? = session.state.modal else { return nil }
        return line.field.text
    }

    private func candidates(_ session: ScriptedSession) -> [String] {
        guard case .commandLine(let line)? = session.state.modal else { return [] }
        return line.candidates
    }
}
