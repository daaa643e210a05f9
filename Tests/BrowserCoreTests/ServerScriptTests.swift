import ArtifactStore
import BrowserCore
import BrowserTestSupport
import Testing

/// The browser on a team server (`FixtureServer`): visibility badges, refusals that change nothing,
/// a server that goes away and `r` that reconnects.
@Suite struct ServerScriptTests {
    static func server() -> FixtureServer {
        FixtureServer(visibilities: ["capsule-gpt": "public", "car-vision-project": "open"])
    }

    /// capsule-gpt/model's versions with the cursor on `row` (0: v7).
    static func modelSession(_ server: FixtureServer, row: Int = 0) -> ScriptedSession {
        var session = ScriptedSession(store: server, width: 80, height: 24)
        session.press("<Enter>j<Enter>" + String(repeating: "j", count: row))
        return session
    }

    @Test(arguments: [(80, 24), (40, 10)])
    func projectsShowTheirVisibilityAsABadge(width: Int, height: Int) {
        let session = ScriptedSession(store: Self.server(), width: width, height: height)
        assertGolden(session.screen, named: "server-projects-\(width)x\(height)")
    }

    @Test func badgesUseTheThemesBadgeStyle() throws {
        let session = ScriptedSession(store: Self.server(), width: 80, height: 24)
        let row = try #require(session.screen.split(separator: "\n").firstIndex { $0.contains("[open]") })
        let column = try #require(session.grid.line(row).range(of: "[open]")).lowerBound
        let x = session.grid.line(row).distance(from: session.grid.line(row).startIndex, to: column)
        #expect(session.grid[x, row].role == .badge)
        #expect(session.screen.contains("[public]"))
        #expect(session.screen.contains("[private]"))
    }

    @Test func aLocalStoreShowsNoBadge() {
        let session = ScriptedSession(store: FixtureStore(), width: 120, height: 40)
        #expect(!session.screen.contains("VISIBILITY"))
        #expect(!session.screen.contains("[private]"))
    }

    @Test func aRefusedDeleteShowsTheReasonAndChangesNothingOnScreen() throws {
        let server = Self.server()
        server.refuseChanges("alice is a viewer of capsule-gpt")
        var session = Self.modelSession(server, row: 3)
        let before = session.screen
        session.press("d")
        #expect(session.screen.contains("Delete capsule-gpt/model:v4?"))
        session.press("<Tab><Enter>")
        #expect(session.state.status == StatusMessage("permission denied: alice is a viewer of capsule-gpt", .danger))
        #expect(try server.store.versionCount(project: "capsule-gpt", artifact: "model") == 8)
        // Everything but the status line is as it was before `d`.
        let lines = { (screen: String) in screen.split(separator: "\n", omittingEmptySubsequences: false) }
        #expect(Array(lines(session.screen).dropLast(2)) == Array(lines(before).dropLast(2)))
        #expect(session.state.loadsInFlight == 0)
        assertGolden(session.screen, named: "server-refused-delete-80x24")
    }

    /// A viewer's project is listed as read-only: a change is refused before any dialog or editor opens,
    /// so no typing is wasted, and nothing changes.
    @Test(arguments: ["a", "x", "e", "E", "M", "d", "P", ":alias add best<Enter>", ":describe new text<Enter>"])
    func aViewersChangeIsRefusedBeforeADialogOpens(keys: String) throws {
        let server = Self.server()
        server.makeViewer(of: "capsule-gpt")
        var session = Self.modelSession(server)
        let before = try server.store.version(id: session.state.selectedVersion!.id)
        session.press(keys)
        #expect(session.state.modal == nil)
        #expect(session.state.busy.isEmpty, "no editor or request was started")
        #expect(session.state.status == StatusMessage(
            "permission denied: you may read but not write to project capsule-gpt", .danger))
        #expect(try server.store.version(id: before.id) == before)
        #expect(try server.store.versionCount(project: "capsule-gpt", artifact: "model") == 8)
    }

    /// Reading is not changing: a viewer's diff and lineage open as anyone's do.
    @Test func aViewerStillDiffsAndSeesLineage() {
        let server = Self.server()
        server.makeViewer(of: "capsule-gpt")
        var session = Self.modelSession(server)
        session.press("D")
        guard case .diff = session.state.modal else {
            Issue.record("D opened no diff for a viewer: \(String(describing: session.state.modal)) \(String(describing: session.state.status))")
            return
        }
        session.press("<Esc>L")
        guard case .lineage = session.state.modal else {
            Issue.record("L opened no lineage for a viewer: \(String(describing: session.state.modal))")
            return
        }
        #expect(!(session.state.status?.text.contains("permission denied") ?? false))
    }

    @Test func aRefusedAliasShowsTheReasonAndAddsNothing() throws {
        let server = Self.server()
        server.refuseChanges("alice is a viewer of capsule-gpt")
        var session = Self.modelSession(server)
        session.press("a")
        session.type("candidate")
        session.press("<Enter>")
        #expect(session.state.status?.text == "permission denied: alice is a viewer of capsule-gpt")
        #expect(session.state.status?.kind == .danger)
        #expect(!session.screen.contains("[candidate]"))
        #expect(try server.store.aliasHolder(project: "capsule-gpt", artifact: "model", alias: "candidate") == nil)
    }

    @Test func aServerThatGoesAwayKeepsTheScreenAndRReconnects() throws {
        let server = Self.server()
        var session = Self.modelSession(server)
        #expect(session.screen.contains("[latest]"))
        server.goDown()
        session.press("r")
        let unreachable = "cannot reach server https://arttui.example.test: Connection refused (r reconnects)"
        #expect(session.state.status == StatusMessage(unreachable, .danger))
        #expect(session.state.storeUnreachable)
        #expect(session.screen.contains("server unreachable: r reconnects"))
        // The projects loaded before stay listed.
        session.press("1")
        #expect(session.screen.contains("capsule-gpt"))
        #expect(session.screen.contains("[public]"))
        server.comeBack()
        session.press("r3")
        #expect(!session.state.storeUnreachable)
        #expect(session.state.status == StatusMessage("reconnected to https://arttui.example.test", .success))
        #expect(session.screen.contains("[latest]"))
        #expect(!session.screen.contains("server unreachable: r reconnects"))
        // A reload of a server that answers says where it reloaded from.
        session.press("r")
        #expect(session.state.status?.text == "reloaded from the server")
    }

    @Test func theDetailPaneOfAServerThatWentAwayDoesNotClaimTheArtifactHasNoVersions() {
        let server = Self.server()
        var session = ScriptedSession(store: server, width: 120, height: 40)
        session.press("<Enter>j<Enter>")
        #expect(session.screen.contains("4 Detail · v7"))
        server.goDown()
        session.press("r")
        #expect(session.state.storeUnreachable)
        #expect(session.state.selectedVersion == nil)
        // The versions could not be read: the artifact still has them, and the detail pane says why it is empty.
        #expect(!session.screen.contains("the artifact has no versions"))
        // Both the versions pane and the detail pane say why they are empty.
        #expect(session.screen.components(separatedBy: "server unreachable: r reconnects").count == 3)
        #expect(!session.screen.contains("loading…"))
    }

    @Test func aServerDownFromTheStartSaysSoInsteadOfAnEmptyStore() {
        let server = Self.server()
        server.goDown()
        var session = ScriptedSession(store: server, width: 80, height: 24)
        assertGolden(session.screen, named: "server-unreachable-80x24")
        #expect(!session.screen.contains("no projects yet"))
        server.comeBack()
        session.press("r")
        #expect(session.screen.contains("[public]"))
    }

    @Test func aWriteToAServerThatWentAwayChangesNothingAndSaysHowToRetry() throws {
        let server = Self.server()
        var session = Self.modelSession(server)
        server.goDown()
        session.press("e")
        // The description editor opens only after the version is read again, which fails.
        #expect(session.state.status?.text.hasSuffix("(r reconnects)") == true)
        #expect(session.screen.contains("[latest]"))
    }

    @Test func loadsInFlightTurnTheSpinner() {
        var session = ScriptedSession(store: Self.server(), width: 80, height: 24)
        session.holdEffects = true
        session.press("r")
        #expect(session.state.loadsInFlight > 0)
        #expect(session.screen.split(separator: "\n")[0].contains("⠋ loading"))
        session.send(.tick)
        #expect(session.state.spinnerFrame == 1)
        session.runPendingEffects()
        #expect(session.state.loadsInFlight == 0)
        #expect(!session.screen.split(separator: "\n")[0].contains("loading"))
    }

    @Test func helpSaysRReconnects() {
        var session = ScriptedSession(store: Self.server(), width: 120, height: 40)
        #expect(session.helpScreens().contains("r           Reload (reconnects)"))
    }
}
