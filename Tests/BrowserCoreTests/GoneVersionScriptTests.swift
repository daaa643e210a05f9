import ArtifactStore
import BrowserCore
import BrowserTestSupport
import Testing

/// Versions deleted by another process while they are on screen.
@Suite struct GoneVersionScriptTests {
    @Test func reloadAfterEveryVersionWentSaysThereIsNothingToShow() {
        let store = FixtureStore()
        var session = modelSession(store, width: 120, height: 40)
        store.externallyDeleteVersions(project: "capsule-gpt", artifact: "model")
        session.press("r")
        #expect(session.screen.contains("nothing to show"))
        #expect(!session.screen.contains("loading…"))
        assertGolden(session.screen, named: "nothing-to-show-120x40")
    }

    @Test func reloadAfterSomeVersionsWentLeavesNoRowLoadingForEver() {
        let store = FixtureStore()
        var session = modelSession(store, width: 120, height: 40)
        store.afterNextCount { store.externallyDeleteVersions(project: "capsule-gpt", artifact: "model", indices: [0, 1, 2]) }
        session.press("r")
        #expect(session.state.versionRowCount == 5)
        #expect(!session.screen.contains("loading"))
        session.press("G")
        #expect(session.state.selectedVersion?.versionName == "v3")
    }

    @Test(arguments: ["e", "a", "d", "x", "M", "E"])
    func actingOnAGoneVersionSaysSoInsteadOfOpeningADialog(key: String) {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("jj")  // v5, which holds best
        store.externallyDeleteVersions(project: "capsule-gpt", artifact: "model", indices: [5])
        session.press(key)
        #expect(session.state.modal == nil)
        #expect(session.state.status == StatusMessage("capsule-gpt/model:v5 is gone: deleted since it was listed", .danger))
        #expect(session.state.busy.isEmpty)
    }

    @Test func commandsOnAGoneVersionSaySoToo() {
        let store = FixtureStore()
        var session = modelSession(store)
        store.externallyDeleteVersions(project: "capsule-gpt", artifact: "model", indices: [7])
        session.press(":")
        session.type("alias add x")
        session.press("<Enter>")
        #expect(session.state.modal == nil)
        #expect(session.state.status?.text.contains("is gone") == true)
    }
}
