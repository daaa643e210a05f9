import BrowserCore
import BrowserTestSupport
import Testing

/// Pane widths follow their content: names whole when there is room, the versions pane as
/// wide as its columns, the detail pane the rest; two panes (80×24) split as they always did.
@Suite struct PaneWidthTests {
    private func widths(_ session: ScriptedSession) -> [Pane: Int] {
        Dictionary(uniqueKeysWithValues: session.state.paneRects.map { ($0.pane, $0.rect.width) })
    }

    @Test func twoPanesAt80ColumnsSplitByWeight() {
        let projects = ScriptedSession(store: FixtureStore(), width: 80, height: 24)
        #expect(widths(projects) == [.projects: 40, .artifacts: 40])
        let versions = modelSession()
        #expect(widths(versions) == [.versions: 53, .detail: 27])
    }

    @Test func namesAreWholeAt120Columns() {
        var session = ScriptedSession(store: FixtureStore(), width: 120, height: 40)
        #expect(session.screen.contains("car-vision-project "))
        session.press("j")
        #expect(session.screen.contains("  bike-dataset "))
        // The versions pane, last on screen, takes what the two before leave.
        let shown = widths(session)
        #expect(shown[.projects]! + shown[.artifacts]! + shown[.versions]! == 120)
        #expect(shown[.versions]! >= 36)
    }

    @Test func theVersionsPaneShrinksToItsColumnsAndTheDetailPaneTakesTheRest() {
        let session = modelSession(width: 200, height: 50)
        let shown = widths(session)
        #expect(shown.count == 4)
        // VER 6, ALIASES "[latest]" 8, CREATED 16, SIZE 9, ADDED 9, RUN "sweep-2" 7, five gaps, two borders.
        #expect(shown[.versions] == 6 + 8 + 16 + 9 + 9 + 7 + 5 + 2)
        #expect(shown[.detail]! > shown[.versions]!)
        #expect(session.screen.contains("checkpoint step 8000 of sweep 2"))
    }

    @Test func whenContentDoesNotFitNamesStayWholeAndNumbersGoFirst() {
        var session = ScriptedSession(store: FixtureStore(), width: 120, height: 40)
        session.press("j<Enter><Enter>")
        #expect(session.state.focus == .versions)
        #expect(session.screen.contains("│  bike-dataset"), "\(session.screen)")
        // At 80 columns (two panes) the split and the columns are as they always were.
        session.resize(80, 24)
        session.press("1")
        #expect(session.screen.contains("car-vision-pro…"))
    }

    @Test func aNarrowScreenKeepsTheDetailPaneReadable() {
        let session = modelSession(width: 120, height: 40)
        #expect(widths(session)[.detail]! >= 36)
    }
}
