import BrowserCore
import Foundation

/// Finds and loads `NAME.theme` files.
///
/// Searched in order: `$ARTTUI_THEMES_DIR`; `$XDG_CONFIG_HOME/arttui/themes` (or
/// `~/.config/arttui/themes`); then `Themes/` in the executable's directory and each directory
/// above it, which finds the repository's `Themes/` from `.build/debug/arttui` and `swift run`.
/// When the default theme is asked for and no file is found at all, the built-in copy of
/// `dark.theme` is used so the browser still opens.
public struct ThemeLocator: Sendable {
    /// The theme used when none is named.
    public static let defaultName = "dark"

    /// Directories searched, in order.
    public let directories: [URL]

    /// A locator over explicit directories (tests).
    public init(directories: [URL]) {
        self.directories = directories
    }

    /// The standard search path for an executable and an environment.
    public init(executablePath: String, environment: [String: String]) {
        var directories: [URL] = []
        if let dir = environment["ARTTUI_THEMES_DIR"], !dir.isEmpty {
            directories.append(URL(fileURLWithPath: dir))
        }
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
            directories.append(URL(fileURLWithPath: config).appendingPathComponent("arttui/themes"))
        } else if let home = environment["HOME"], !home.isEmpty {
            directories.append(URL(fileURLWithPath: home).appendingPathComponent(".config/arttui/themes"))
        }
        var dir = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while true {
            directories.append(dir.appendingPathComponent("Themes"))
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path || dir.path == "/" { break }
            dir = parent
        }
        self.directories = directories
    }

    /// Loads a theme by name.
    /// - Throws: `ThemeError` when the file is malformed (naming file and line), or when a theme
    ///   other than the default is asked for and not found (listing where it was looked for).
    public func load(name: String) throws -> Theme {
        let fileName = name + ".theme"
        for directory in directories {
            let url = directory.appendingPathComponent(fileName)
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            return try ThemeParser.parse(String(decoding: data, as: UTF8.self), name: name, file: url.path)
        }
        if name == Self.defaultName {
            return try ThemeParser.parse(BuiltInTheme.darkText, name: name, file: "built-in dark theme")
        }
        let available = availableThemes()
        throw ThemeError(
            file: fileName, line: 0,
            message: "no such theme (available: \((available + [Self.defaultName]).uniqued().joined(separator: ", ")); "
                + "searched \(directories.map(\.path).joined(separator: ", ")))")
    }

    /// Names of the theme files found, sorted.
    public func availableThemes() -> [String] {
        var names: Set<String> = []
        for directory in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in files where file.hasSuffix(".theme") { names.insert(String(file.dropLast(6))) }
        }
        return names.sorted()
    }
}

extension Array where Element: Hashable {
    fileprivate func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
