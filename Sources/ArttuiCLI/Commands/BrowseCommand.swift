import ArgumentParser
import ArtifactStore
import BrowserCore
import Foundation
import TerminalUI

/// `arttui` with no subcommand: the full-screen browser.
struct BrowseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse",
        abstract: "Browse the store, or a team server with --remote, in a full-screen terminal UI (the default when no subcommand is given).",
        discussion: "Press ? inside for the keys. Themes: dark (default), light, high-contrast, or a file in "
            + "$ARTTUI_THEMES_DIR or ~/.config/arttui/themes.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var display: DisplayOptions

    func run() throws {
        let cache = try storeOptions.openCache()
        let browser: any BrowserStore
        if let server = try storeOptions.server.selectedServer() {
            let repository = ServerRepository(client: try storeOptions.server.client(for: server))
            // Fail now, in one line on the normal screen, rather than with an empty browser.
            _ = try repository.client.whoami()
            browser = ServerBrowser(repository: repository, cache: cache)
        } else {
            browser = StoreBrowser(store: try storeOptions.openStore(), cache: cache)
        }
        let status = try display.openBrowser(on: browser)
        if status != 0 { throw ExitCode(status) }
    }
}

/// How the browser looks: `--theme`, `--color`, `--mouse`.
struct DisplayOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Colour theme: dark, light, high-contrast, or a theme file's name (default: "
        + "$ARTTUI_THEME, else dark).", valueName: "name"))
    var theme: String?

    @Option(help: "When to use colours: auto (not with a non-empty NO_COLOR), always or never.")
    var color: ColorMode = .auto

    @Flag(help: "Capture the mouse (off by default so the terminal can still select text).")
    var mouse = false

    /// Loads the theme and runs the browser; returns its exit status.
    /// - Throws: a `CommandFailure` (exit 2) naming the file and line of a malformed theme.
    func openBrowser(on store: any BrowserStore) throws -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let locator = ThemeLocator(executablePath: executable, environment: environment)
        let name = theme ?? environment["ARTTUI_THEME"].flatMap { $0.isEmpty ? nil : $0 } ?? ThemeLocator.defaultName
        let loaded: Theme
        do {
            loaded = try locator.load(name: name)
        } catch {
            throw CommandFailure(message: "theme: \(error)", status: 2)
        }
        return BrowserApp.run(
            store: store, options: BrowserOptions(theme: loaded, colorMode: color, mouse: mouse, environment: environment))
    }
}

extension ColorMode: ExpressibleByArgument {}
