import ArttuiCLI
import BrowserCore
import Foundation
import Testing

@Suite struct ThemeLocatorTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func findsThemesAboveTheExecutableAndFallsBackToTheBuiltInDefault() throws {
        let executable = Self.repository.appendingPathComponent(".build/debug/arttui").path
        let locator = ThemeLocator(executablePath: executable, environment: [:])
        #expect(locator.directories.contains(Self.repository.appendingPathComponent("Themes")))
        #expect(try locator.load(name: "light").name == "light")

        let nowhere = ThemeLocator(directories: [URL(fileURLWithPath: "/nonexistent")])
        #expect(try nowhere.load(name: "dark").styles.count == StyleRole.allCases.count)
        #expect(throws: ThemeError.self) { try nowhere.load(name: "solarized") }
    }

    @Test func environmentDirectoriesComeFirst() {
        let locator = ThemeLocator(executablePath: "/usr/bin/arttui",
                                   environment: ["ARTTUI_THEMES_DIR": "/t", "XDG_CONFIG_HOME": "/c"])
        #expect(locator.directories.prefix(2).map(\.path) == ["/t", "/c/arttui/themes"])
    }
}
