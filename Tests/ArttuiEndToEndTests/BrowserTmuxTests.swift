import Foundation
import ProcessTestSupport
import Testing

/// The real `arttui` browser in a real terminal: each case starts its own tmux server on a copy of the
/// demo store, drives it with keys the way a user would, waits for what the screen shows, and then
/// checks the outcome through the CLI.
@Suite("browser in tmux", .demoStoreTemplate, .childProcesses)
struct BrowserTmuxTests {
    static let tmuxMissing = "tmux is not installed (.ci/run installs it); the end-to-end browser tests need it"

    @Test("a: adds a new alias, and moves a held one after confirming; show --json agrees",
          .enabled(if: TmuxSession.executable != nil, Comment(rawValue: tmuxMissing)))
    func addAlias() async throws {
        let sandbox = try await Sandbox.withDemoStore()
        let browser = try await BrowserInTmux(sandbox)
        defer { browser.session.kill() }
        try await browser.openModelVersions()
        try await browser.session.press("j", "j")
        try await browser.session.waitFor("capsule-gpt/model:v3")

        try await browser.session.press("a")
        try await browser.session.waitFor("Add alias to capsule-gpt/model:v3")
        try await browser.session.type("candidate-7")
        try await browser.session.waitFor("alias: candidate-7")
        try await browser.session.press("Enter")
        try await browser.session.waitFor("v3 is now candidate-7", "[candidate-7]")

        // prod is on v2: taking it asks first, focus on Cancel.
        try await browser.session.press("a")
        try await browser.session.waitFor("Add alias to capsule-gpt/model:v3")
        try await browser.session.type("prod")
        try await browser.session.press("Enter")
        try await browser.session.waitFor("Move alias prod?", "It moves from v2 to v3.", "[ Cancel ]")
        try await browser.session.press("Tab")
        try await browser.session.waitFor("[ Move ]")
        try await browser.session.press("Enter")
        try await browser.session.waitFor("v3 is now prod")
        try await browser.quit()

        #expect(try await sandbox.show("capsule-gpt/model:candidate-7").string("version") == "v3")
        let prod = try await sandbox.show("capsule-gpt/model:prod")
        #expect(prod.string("version") == "v3", "\(prod)")
        #expect(Set(prod.strings("aliases")) == ["candidate-7", "prod"], "\(prod)")
        let formerHolder = try await sandbox.show("capsule-gpt/model:v2")
        #expect(!formerHolder.strings("aliases").contains("prod"), "\(formerHolder)")
    }

    @Test("e: writes a description over several lines with the keyboard; show --json has every line",
          .enabled(if: TmuxSession.executable != nil, Comment(rawValue: tmuxMissing)))
    func editDescriptionOverSeveralLines() async throws {
        let sandbox = try await Sandbox.withDemoStore()
        let original = try #require(try await sandbox.show("capsule-gpt/model:v5").string("description"))
        let browser = try await BrowserInTmux(sandbox)
        defer { browser.session.kill() }
        try await browser.openModelVersions()

        try await browser.session.press("e")
        try await browser.session.waitFor("Description of capsule-gpt/model:v5", "Ctrl-S saves")
        try await browser.session.press("Enter")
        try await browser.session.type("Second line, typed.")
        try await browser.session.press("Enter")
        try await browser.session.type("Third line.")
        try await browser.session.waitFor("line 3/3")
        try await browser.session.press("Up", "Home")
        try await browser.session.type("> ")
        try await browser.session.waitFor("> Second line, typed.", "line 2/3, column 3 · changed")
        try await browser.session.press("C-s")
        try await browser.session.waitFor("description of v5 saved")
        try await browser.quit()

        let shown = try await sandbox.show("capsule-gpt/model:v5")
        #expect(shown.string("description") == original + "\n> Second line, typed.\nThird line.", "\(shown)")
    }

    @Test("E: runs $EDITOR on the description, gives the screen back, saves what the editor wrote",
          .enabled(if: TmuxSession.executable != nil, Comment(rawValue: tmuxMissing)))
    func editDescriptionInTheEditor() async throws {
        let sandbox = try await Sandbox.withDemoStore()
        let original = try #require(try await sandbox.show("capsule-gpt/model:v5").string("description"))
        // An editor that shows it has the screen, then appends a line to the file it was given.
        let editor = try sandbox.write("editor.sh", Data("""
            #!/bin/sh
            printf 'EDITOR RUNNING on %s\n' "$(basename "$1")"
            sleep 1
            printf 'written by the editor\n' >> "$1"
            """.utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: editor.path)
        let browser = try await BrowserInTmux(sandbox, environment: ["EDITOR=\(editor.path)"])
        defer { browser.session.kill() }
        try await browser.openModelVersions()

        try await browser.session.press("E")
        try await browser.session.waitFor("EDITOR RUNNING on DESCRIPTION-capsule-gpt-model-v5.txt")
        try await browser.session.waitFor("description of v5 saved", "3 Versions · model")
        try await browser.quit()

        let shown = try await sandbox.show("capsule-gpt/model:v5")
        #expect(shown.string("description") == original + "\nwritten by the editor", "\(shown)")
    }

    @Test("P: prunes exactly the unaliased, non-latest versions after choosing Yes; ls --json agrees",
          .enabled(if: TmuxSession.executable != nil, Comment(rawValue: tmuxMissing)))
    func pruneFromMenu() async throws {
        let sandbox = try await Sandbox.withDemoStore()
        let codeVersions = try await sandbox.versionNames("capsule-gpt/train-code")
        let browser = try await BrowserInTmux(sandbox)
        defer { browser.session.kill() }
        try await browser.openModelArtifact()

        try await browser.session.press("P")
        try await browser.session.waitFor("Prune capsule-gpt/model?", "3 versions go: v0 v1 v3", "Frees ", "[ No ]")
        try await browser.session.press("Left")
        try await browser.session.waitFor("[ Yes, prune ]")
        try await browser.session.press("Enter")
        try await browser.session.waitFor("pruned 3 versions")
        try await browser.session.waitUntil("the versions pane without v0, v1 and v3") { screen in
            let rows = BrowserInTmux.versionRows(screen)
            return rows == ["v5", "v4", "v2"]
        }
        try await browser.quit()

        let remaining = try await sandbox.ok(["ls", "capsule-gpt/model", "--json"]).jsonArray()
        let aliasesByVersion = Dictionary(uniqueKeysWithValues: remaining.map { ($0.string("version") ?? "?", Set($0.strings("aliases"))) })
        #expect(aliasesByVersion == ["v2": ["prod"], "v4": ["best"], "v5": ["latest"]], "\(remaining)")
        #expect(try await sandbox.versionNames("capsule-gpt/train-code") == codeVersions, "prune reached another artifact")
    }

    @Test("C: refuses a bad unit in place, then cleans the cache to 1KB; cache size --json agrees",
          .enabled(if: TmuxSession.executable != nil, Comment(rawValue: tmuxMissing)))
    func cleanCache() async throws {
        let sandbox = try await Sandbox.withDemoStore()
        // --cache always: by default (auto) a copying get on ext4 leaves the large checkpoint uncached.
        try await sandbox.ok(["get", "capsule-gpt/model:best", "--root", sandbox.path("checkpoint").path, "--cache", "always"])
        let before = try await sandbox.ok(["cache", "size", "--json"]).jsonObject()
        let beforeBytes = try #require(before.int("bytes"))
        try #require(beforeBytes > 1_000_000, "get did not fill the cache: \(before)")
        let browser = try await BrowserInTmux(sandbox)
        defer { browser.session.kill() }
        try await browser.waitForStart()

        try await browser.session.press("C")
        try await browser.session.waitFor("total ", "capsule-gpt/model", "clean up to at most:")
        try await browser.session.type("5XB")
        try await browser.session.press("Enter")
        try await browser.session.waitFor("unknown unit \"XB\"")
        #expect(try await !browser.session.commandEnded(), "a bad unit ended the browser")
        #expect(try await sandbox.ok(["cache", "size", "--json"]).jsonObject().int("bytes") == beforeBytes,
                "a refused size changed the cache")

        try await browser.session.press("BSpace", "BSpace", "BSpace")
        try await browser.session.type("1KB")
        try await browser.session.waitFor("clean up to at most: 1KB")
        try await browser.session.press("Enter")
        let cleaned = try await browser.session.waitFor("freed ", "cache now ")
        #expect(!cleaned.contains("unknown unit"), "the error stayed after a good size:\n\(cleaned)")
        try await browser.session.press("Escape")
        try await browser.session.waitFor("1 Projects")
        try await browser.quit()

        let after = try await sandbox.ok(["cache", "size", "--json"]).jsonObject()
        let afterBytes = try #require(after.int("bytes"))
        #expect(afterBytes <= 1_000 && afterBytes < beforeBytes, "before \(before), after \(after)")
        #expect((after.int("files") ?? .max) < (before.int("files") ?? 0), "before \(before), after \(after)")
    }

    @Test("resizes to 20x5 show 'terminal too small', 1x1 and a storm survive, 120x40 brings the panes back",
          .enabled(if: TmuxSession.executable != nil, Comment(rawValue: tmuxMissing)))
    func resize() async throws {
        let sandbox = try await Sandbox.withDemoStore()
        let browser = try await BrowserInTmux(sandbox)
        defer { browser.session.kill() }
        try await browser.waitForStart()

        try await browser.session.resize(width: 20, height: 5)
        try await browser.session.waitFor("terminal too small", "20x5")
        try await browser.session.resize(width: 120, height: 40)
        try await browser.waitForStart()

        try await browser.session.resize(width: 1, height: 1)
        try await browser.session.waitUntil("the pane at 1x1") { _ in try await browser.session.paneSize() == "1x1" }
        for (width, height) in [(300, 100), (2, 2), (80, 24), (40, 10), (1, 1), (33, 7), (200, 60)] {
            try await browser.session.resize(width: width, height: height)
        }
        // Settle on the storm's last size before going back: tmux applies queued pane resizes late,
        // and a size that ends where the browser last saw it brings no KEY_RESIZE (see the report).
        try await browser.session.waitUntil("the panes redrawn at 200x60") { screen in
            screen.contains("1 Projects") && screen.contains("j/k move")
                && screen.split(separator: "\n").contains { $0.count > 190 }
        }
        try await browser.session.resize(width: 120, height: 40)
        try await browser.waitForStart()
        #expect(try await !browser.session.commandEnded())

        // Still taking keys after all that.
        try await browser.session.press("j")
        try await browser.session.waitFor("│ car-vision-project")
        try await browser.quit()
    }

    @Test("q quits with status 0 and gives the terminal back as it was",
          .enabled(if: TmuxSession.executable != nil, Comment(rawValue: tmuxMissing)))
    func quit() async throws {
        let sandbox = try await Sandbox.withDemoStore()
        let browser = try await BrowserInTmux(sandbox)
        defer { browser.session.kill() }
        try await browser.waitForStart()
        let screen = try await browser.quit()
        #expect(try await browser.session.commandEnded())
        #expect(!screen.contains("1 Projects") && !screen.contains("j/k move"), "the browser's screen stayed:\n\(screen)")
        // The shell's line from before is back (tmux may have scrolled it off while sizing the new pane).
        let normalScreen = try await browser.session.screenAndScrollback()
        #expect(normalScreen.contains(BrowserInTmux.shellMarker), "the shell's screen is not back:\n\(normalScreen)")
    }

    @Test("Ctrl-C in the cache view quits with status 0 and restores the terminal",
          .enabled(if: TmuxSession.executable != nil, Comment(rawValue: tmuxMissing)))
    func controlCFromADialog() async throws {
        let sandbox = try await Sandbox.withDemoStore()
        let browser = try await BrowserInTmux(sandbox)
        defer { browser.session.kill() }
        try await browser.waitForStart()
        try await browser.session.press("C")
        try await browser.session.waitFor("clean up to at most:")
        try await browser.session.press("C-c")
        let screen = try await browser.session.waitFor("EXIT=")
        #expect(screen.contains("EXIT=0 TTY=restored"), "\(screen)")
        #expect(!screen.contains("clean up to at most:") && !screen.contains("1 Projects"), "\(screen)")
        let normalScreen = try await browser.session.screenAndScrollback()
        #expect(normalScreen.contains(BrowserInTmux.shellMarker), "the shell's screen is not back:\n\(normalScreen)")
    }

    @Test("TERM=dumb: exits 2 with one line on stderr, draws nothing")
    func dumbTerminal() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run([], environment: ["TERM": "dumb", "LANG": "C.UTF-8"], timeout: 10)
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.hasPrefix("arttui: ") && result.stderr.hasSuffix("\n")
                && result.stderr.filter { $0 == "\n" }.count == 1, "expected one line on stderr: \(result)")
        #expect(result.stderr.contains("TERM") && result.stderr.contains("dumb"), "\(result)")
    }
}

/// `arttui` (no subcommand) on the sandbox's store, in a tmux session of its own at 120x40 with a UTF-8
/// locale. A shell wraps it: it prints a marker first, and after the browser ends prints the exit
/// status and whether `stty -g` is what it was before.
struct BrowserInTmux {
    static let shellMarker = "shell: before the browser"
    let session: TmuxSession

    init(_ sandbox: Sandbox, width: Int = 120, height: Int = 40, environment extra: [String] = []) async throws {
        let binary = try #require(ArttuiBinary.url, "cannot find the built arttui next to the test bundle; set ARTTUI_BINARY")
        let home = sandbox.path("home").path
        let environment = [
            "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=\(home)", "XDG_DATA_HOME=\(home)/.local/share",
            "XDG_CACHE_HOME=\(home)/.cache", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=xterm-256color",
        ] + extra
        let browser = (["env", "-i"] + environment + [binary.path, "--store", sandbox.store.path, "--cache-dir", sandbox.cache.path])
            .map(shellQuoted).joined(separator: " ")
        let command = """
            printf '%s\\n' \(shellQuoted(BrowserInTmux.shellMarker)); saved=$(stty -g); \(browser); status=$?; \
            if [ "$(stty -g)" = "$saved" ]; then tty=restored; else tty=changed; fi; printf 'EXIT=%s TTY=%s\\n' "$status" "$tty"
            """
        session = try await TmuxSession(socket: sandbox.path("tmux.sock"), command: command, width: width, height: height)
    }

    /// Waits for the first full frame: the projects loaded and the first artifact's versions listed.
    func waitForStart(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await session.waitFor("1 Projects", "│capsule-gpt", "3 Versions · train-code", "j/k move", sourceLocation: sourceLocation)
    }

    /// From the start: into the artifacts of capsule-gpt, down to `model` (after train-code and
    /// tokenized-corpus), its versions listed. (At 120 columns the projects and artifacts panes
    /// show their names whole, so this preview of the versions has no room for the run column.)
    func openModelArtifact() async throws {
        try await waitForStart()
        try await session.press("Enter", "j", "j")
        try await session.waitFor("3 Versions · model", "[best]", "│v0 ")
    }

    /// From the start: into the versions of capsule-gpt/model, the newest (v5) selected.
    func openModelVersions() async throws {
        try await openModelArtifact()
        try await session.press("Enter")
        try await session.waitFor("│ capsule-gpt/model:v5")
    }

    /// Presses `q`, requires exit status 0 with the terminal modes restored, and returns the screen.
    @discardableResult
    func quit(sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await session.press("q")
        let screen = try await session.waitFor("EXIT=", sourceLocation: sourceLocation)
        #expect(screen.contains("EXIT=0 TTY=restored"), "q did not exit cleanly:\n\(screen)", sourceLocation: sourceLocation)
        return screen
    }

    /// The version names in the versions pane (`v5`, `v4`, …) as drawn at 120 columns, top to bottom.
    static func versionRows(_ screen: String) -> [String] {
        screen.split(separator: "\n").compactMap { line in
            guard let start = line.range(of: "││v") else { return nil }
            let name = line[start.upperBound...].prefix { $0.isNumber }
            return name.isEmpty ? nil : "v" + name
        }
    }
}

/// Builds the demo store once for the suite (it takes seconds); each test copies it into its own sandbox.
/// The build holds a permit of the child-process gate of its own, as a test would.
struct DemoStoreTemplate: SuiteTrait, TestScoping {
    @TaskLocal static var store: URL?

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let sandbox = try await ChildProcessGate.shared.withPermit {
            let sandbox = try Sandbox()
            try await sandbox.buildDemo()
            return sandbox
        }
        try await DemoStoreTemplate.$store.withValue(sandbox.store) { try await function() }
        withExtendedLifetime(sandbox) {}
    }
}

extension Trait where Self == DemoStoreTemplate {
    /// The demo store, built once for the suite.
    static var demoStoreTemplate: Self { DemoStoreTemplate() }
}

extension Sandbox {
    /// A sandbox whose store is a copy of the demo store (built here when the suite trait did not).
    static func withDemoStore() async throws -> Sandbox {
        let sandbox = try Sandbox()
        if let template = DemoStoreTemplate.store {
            try FileManager.default.copyItem(at: template, to: sandbox.store)
        } else {
            try await sandbox.buildDemo()
        }
        return sandbox
    }

    /// `arttui demo --no-open`, which reports on stderr what it built.
    func buildDemo() async throws {
        let result = try await run(["demo", "--no-open"], timeout: 120)
        try #require(result.status == 0, "\(result)")
    }
}
