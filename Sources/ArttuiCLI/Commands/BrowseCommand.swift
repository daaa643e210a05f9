import ArgumentParser
import ArtifactStore
import Foundation
import TerminalUI

/// `arttui` with no subcommand: the full-screen browser.
struct BrowseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse",
        abstract: "Browse the store in a full-screen terminal UI (the default when no subcommand is given).",
        discussion: "Press ? inside for the keys. Themes: dark (default), light, high-contrast, or a file in "
            + "$ARTTUI_THEMES_DIR or ~/.config/arttui/themes.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var display: DisplayOptions

    func run() throws {
        let store = try storeOptions.openStore()
        let cache = try storeOptions.openCache()
        let status = display.openBrowser(on: StoreBrowser(store: store, cache: cache))
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

    /// Runs the browser and returns its exit status.
    func openBrowser(on store: StoreBrowser) -> Int32 {
        BrowserApp.run(store: store, options: BrowserOptions(themeName: theme, colorMode: color, mouse: mouse))
    }
}

extension ColorMode: ExpressibleByArgument {}
