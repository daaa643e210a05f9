/// When to use colours.
public enum ColorMode: String, Sendable, CaseIterable {
    /// Colours unless `NO_COLOR` is set and non-empty or the terminal has none.
    case auto
    /// Colours whenever the terminal has them, even with `NO_COLOR`.
    case always
    /// Monochrome: bold and reverse only.
    case never
}

/// How the browser is opened: `arttui [--theme NAME] [--color auto|always|never] [--mouse]`.
public struct BrowserOptions: Sendable {
    /// The colour theme, already loaded by the caller (the terminal layer reads no files).
    public var theme: Theme
    /// When to use colours.
    public var colorMode: ColorMode
    /// Capture the mouse (off by default: capturing blocks selecting text in the terminal).
    public var mouse: Bool
    /// The environment consulted for `NO_COLOR`, `ARTTUI_THEME`, `ARTTUI_THEMES_DIR`, `XDG_CONFIG_HOME`, `TERM`.
    public var environment: [String: String]

    /// Creates options; the environment defaults to the process's.
    public init(theme: Theme, colorMode: ColorMode = .auto, mouse: Bool = false,
                environment: [String: String]? = nil) {
        self.theme = theme
        self.colorMode = colorMode
        self.mouse = mouse
        self.environment = environment ?? ProcessInfo.processInfo.environment
    }
}

import BrowserCore
import Foundation
