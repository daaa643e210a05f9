import Foundation

/// A database URL that cannot be read: names where it came from, shows it without its password, and
/// says what is wrong, in one line.
public struct DatabaseURLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The variable or flag that gave the URL (`ARTTUI_DATABASE_URL`, `--database-url`), or "database URL".
    public var setting: String
    /// The URL as given, quoted, with any password taken out; nil when it is not even a URL (a password
    /// in it cannot be told apart then, so none of it is shown).
    public var url: String?
    /// What is wrong with it, such as `names no user (postgres://USER:PASSWORD@HOST:PORT/DATABASE)`.
    public var problem: String

    /// An error about the URL `url` (already without its password) given by `setting`.
    public init(setting: String, url: String?, problem: String) {
        self.setting = setting
        self.url = url
        self.problem = problem
    }

    public var description: String {
        [setting, url, problem].compactMap { $0 }.joined(separator: " ")
    }

    /// `text` quoted with any password taken out, or nil when it is not a URL.
    static func withoutPassword(_ text: String) -> String? {
        guard var components = URLComponents(string: text), components.scheme != nil else { return nil }
        if components.password != nil { components.password = nil }
        return "\"\(components.string ?? "")\""
    }
}
