import BrowserCore
import BrowserTestSupport
import Testing

/// The rendered grid compared with golden text at the sizes users run.
@Suite struct ScreenTests {
    static let sizes = [(80, 24), (120, 40), (200, 50), (40, 10), (20, 5), (1, 1)]

    /// Versions of capsule-gpt/model focused, detail as preview.
    static func versionsScreen(width: Int, height: Int, unicode: Bool = true) -> ScriptedSession {
        var session = ScriptedSession(store: FixtureStore(), width: width, height: height, unicode: unicode)
        session.press("<Enter>j<Enter>")
        return session
    }

    @Test(arguments: sizes)
    func versionsPane(width: Int, height: Int) {
        let session = Self.versionsScreen(width: width, height: height)
        assertGolden(session.screen, named: "versions-\(width)x\(height)")
    }

    @Test(arguments: sizes)
    func projectsPane(width: Int, height: Int) {
        let session = ScriptedSession(store: FixtureStore(), width: width, height: height)
        assertGolden(session.screen, named: "projects-\(width)x\(height)")
    }

    @Test(arguments: sizes)
    func wideCharacters(width: Int, height: Int) {
        var session = ScriptedSession(store: FixtureStore(), width: width, height: height)
        session.press("G<Enter><Enter>")
        assertGolden(session.screen, named: "cjk-\(width)x\(height)")
    }

    @Test func asciiWhenTheLocaleIsNotUTF8() {
        let session = Self.versionsScreen(width: 80, height: 24, unicode: false)
        assertGolden(session.screen, named: "versions-ascii-80x24")
        #expect(!session.screen.contains("─"))
    }

    @Test func emptyStore() {
        let session = ScriptedSession(store: FixtureStore.empty(), width: 80, height: 24)
        assertGolden(session.screen, named: "empty-80x24")
    }

    @Test func helpOverlay() {
        var session = ScriptedSession(store: FixtureStore(), width: 120, height: 40)
        session.press("?")
        assertGolden(session.screen, named: "help-120x40")
    }

    @Test func deleteDialog() {
        var session = Self.versionsScreen(width: 80, height: 24)
        session.press("jd")
        assertGolden(session.screen, named: "delete-dialog-80x24")
    }

    @Test func pruneMenu() {
        var session = Self.versionsScreen(width: 80, height: 24)
        session.press("P")
        assertGolden(session.screen, named: "prune-80x24")
    }

    @Test func lineageView() {
        var session = ScriptedSession(store: FixtureStore(), width: 120, height: 40)
        session.press("j<Enter><Enter>jL")
        assertGolden(session.screen, named: "lineage-120x40")
    }

    @Test func lineageViewInASCII() {
        var session = ScriptedSession(store: FixtureStore(), width: 120, height: 40, unicode: false)
        session.press("j<Enter><Enter>jL")
        assertGolden(session.screen, named: "lineage-ascii-120x40")
    }

    @Test func cacheView() {
        var session = ScriptedSession(store: FixtureStore(), width: 80, height: 24)
        session.press("C")
        assertGolden(session.screen, named: "cache-80x24")
    }
}
