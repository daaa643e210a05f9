/// A theme file that cannot be read: which file, which line, what is wrong.
public struct ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file (as given to the parser).
    public var file: String
    /// 1-based line number, 0 when the problem is not on a line.
    public var line: Int
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}

/// Reads the `.theme` format:
///
/// ```
/// # comment
/// role = FOREGROUND [BACKGROUND] [ATTRIBUTE ...]
/// selected = black cyan bold
/// badge = 214 default
/// ```
/// Colours: `default`, `black`, `red`, `green`, `yellow`, `blue`, `magenta`, `cyan`, `white`,
/// `bright-black` … `bright-white`, or a number 0-255. Attributes: `bold`, `reverse`,
/// `underline`, `dim`.
public enum ThemeParser {
    static let colorNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses a theme's text.
    /// - Throws: `ThemeError` naming `file` and the line at fault.
    public static func parse(_ text: String, name: String, file: String) throws -> Theme {
        var styles: [StyleRole: ThemeStyle] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            func fail(_ message: String) -> ThemeError { ThemeError(file: file, line: lineNumber, message: message) }
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let parts = trimmed.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw fail("expected `role = foreground [background] [attributes]`, found \"\(trimmed)\"")
            }
            guard let role = StyleRole(rawValue: parts[0]) else {
                throw fail("unknown role \"\(parts[0])\" (roles: \(StyleRole.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if styles[role] != nil { throw fail("role \"\(parts[0])\" is set twice") }
            var tokens = parts[1].split(separator: " ", omittingEmptySubsequences: true).map { $0.lowercased() }
            guard !tokens.isEmpty else { throw fail("role \"\(parts[0])\" has no foreground colour") }
            var style = ThemeStyle()
            guard let foreground = color(tokens.removeFirst()) else {
                throw fail("unknown colour \"\(parts[1].split(separator: " ")[0])\" (use a name such as cyan or bright-red, default, or 0-255)")
            }
            style.foreground = foreground
            if let first = tokens.first, TextAttribute(rawValue: first) == nil {
                guard let background = color(first) else {
                    throw fail("unknown colour or attribute \"\(first)\"")
                }
                style.background = background
                tokens.removeFirst()
            }
            for token in tokens {
                guard let attribute = TextAttribute(rawValue: token) else {
                    throw fail("unknown attribute \"\(token)\" (use bold, reverse, underline, dim)")
                }
                style.attributes.insert(attribute)
            }
            styles[role] = style
        }
        return Theme(name: name, styles: styles)
    }

    static func color(_ token: String) -> ThemeColor? {
        if token == "default" { return .terminalDefault }
        if let index = colorNames.firstIndex(of: token) { return .indexed(index) }
        if token.hasPrefix("bright-"), let index = colorNames.firstIndex(of: String(token.dropFirst(7))) {
            return .indexed(index + 8)
        }
        if let number = Int(token), (0...255).contains(number) { return .indexed(number) }
        return nil
    }
}

import Foundation
