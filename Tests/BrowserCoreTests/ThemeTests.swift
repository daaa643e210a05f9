import BrowserCore
import Foundation
import Testing

@Suite struct ThemeTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ["dark", "light", "high-contrast"])
    func shippedThemesParseAndStyleEveryRole(name: String) throws {
        let file = Self.repository.appendingPathComponent("Themes/\(name).theme")
        let theme = try ThemeParser.parse(String(contentsOf: file, encoding: .utf8), name: name, file: file.path)
        for role in StyleRole.allCases where role != .normal {
            #expect(theme.styles[role] != nil, "\(name) lacks \(role)")
        }
    }

    @Test func malformedLinesAreNamedWithFileAndLine() {
        let text = "# comment\nselected = black cyan bold\n\nbadge = purple\n"
        #expect(throws: ThemeError(file: "x.theme", line: 4,
                                   message: #"unknown colour "purple" (use a name such as cyan or bright-red, default, or 0-255)"#)) {
            try ThemeParser.parse(text, name: "x", file: "x.theme")
        }
        #expect(throws: ThemeError.self) { try ThemeParser.parse("nonsense", name: "x", file: "x.theme") }
        #expect(throws: ThemeError.self) { try ThemeParser.parse("selected = red blink", name: "x", file: "x.theme") }
        #expect(throws: ThemeError.self) { try ThemeParser.parse("chrome = red", name: "x", file: "x.theme") }
    }

    @Test func parsesColoursAndAttributes() throws {
        let theme = try ThemeParser.parse("selected = 214 bright-blue bold reverse # c\nbadge = cyan underline",
                                          name: "t", file: "t")
        #expect(theme.style(.selected) == ThemeStyle(foreground: .indexed(214), background: .indexed(12), attributes: [.bold, .reverse]))
        #expect(theme.style(.badge) == ThemeStyle(foreground: .indexed(6), attributes: [.underline]))
        #expect(ThemeColor.indexed(214).basic == .indexed(3))  // orange → yellow on 8 colours
    }
}
