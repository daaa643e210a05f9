import Foundation

/// The base address of a team server, in one spelling: `http` or `https`, host in lower case, no
/// trailing slash, no user, query or fragment. Credentials and remotes are keyed by it.
struct ServerURL: Hashable, Comparable, CustomStringConvertible, Sendable {
    /// The normalized text, such as `https://arttui.example.com:8443`.
    let text: String

    /// Parses `text`; throws a one-line reason when it is no server address.
    init(parsing raw: String) throws {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https"
        else {
            throw CommandFailure(message: "server address \"\(raw)\" must start with http:// or https://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw CommandFailure(message: "server address \"\(Self.shown(components))\" names no host")
        }
        // A token must never travel in a URL, and a user part is how one would; the refusal does not
        // repeat what was there.
        guard components.user == nil, components.password == nil else {
            throw CommandFailure(message: "server address \"\(Self.shown(components))\" may not contain a user or password")
        }
        guard components.query == nil, components.fragment == nil else {
            throw CommandFailure(message: "server address \"\(Self.shown(components))\" may not contain a query or fragment")
        }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        let hostText = host.contains(":") && !host.hasPrefix("[") ? "[\(host.lowercased())]" : host.lowercased()
        let port = components.port.map { ":\($0)" } ?? ""
        text = "\(scheme)://\(hostText)\(port)\(path)"
    }

    /// An address as a refusal may show it: its user, password, query and fragment, where a token
    /// could have been typed, as `…`.
    private static func shown(_ components: URLComponents) -> String {
        var text = "\(components.scheme ?? "")://"
        if components.user != nil || components.password != nil { text += "…@" }
        text += components.percentEncodedHost ?? ""
        if let port = components.port { text += ":\(port)" }
        text += components.percentEncodedPath
        if components.query != nil { text += "?…" }
        if components.fragment != nil { text += "#…" }
        return text
    }

    /// Whether `text` looks like an address rather than a remote's name.
    static func looksLikeAddress(_ text: String) -> Bool { text.contains("://") }

    /// The URL of an API path below this server, such as `/api/v1/whoami`; each path segment is
    /// percent-encoded by the caller.
    func url(_ path: String, query: [URLQueryItem] = []) -> URL {
        var components = URLComponents(string: text + path)!
        if !query.isEmpty { components.queryItems = query }
        return components.url!
    }

    var description: String { text }

    static func < (left: ServerURL, right: ServerURL) -> Bool { left.text < right.text }
}
