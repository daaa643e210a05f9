import BrowserCore
import Foundation

/// The full-screen browser on a real terminal. Opened by `arttui` with no subcommand.
public enum BrowserApp {
    /// Runs the browser until the user quits and returns the process exit code: 0 after `q` or
    /// Ctrl-C, 2 when the terminal cannot host it (`TERM=dumb`, no cursor addressing, not a TTY);
    /// the message goes to standard error. The terminal is restored on every path.
    public static func run(store: any BrowserStore, options: BrowserOptions) -> Int32 {
        let theme = options.theme
        let terminal: Terminal
        do {
            terminal = try Terminal(environment: options.environment, mouse: options.mouse)
        } catch {
            printError("arttui: error: \(error)")
            return 2
        }
        defer { terminal.close() }
        let noColor = !(options.environment["NO_COLOR"] ?? "").isEmpty
        let useColor = options.colorMode == .always || (options.colorMode == .auto && !noColor)
        terminal.usePalette(ColorPalette(theme: theme, useColor: useColor))
        InputLoop(terminal: terminal, store: store, environment: options.environment).run()
        return 0
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
