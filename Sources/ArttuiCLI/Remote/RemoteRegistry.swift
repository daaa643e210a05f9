import ArtifactStore
import Foundation

/// Named servers in `remotes.json`, so `--remote team` stands for a whole address.
struct RemoteRegistry {
    /// The remotes file.
    let file: ConfigurationFile

    /// The file in the configuration directory for `environment`.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        file = ConfigurationFile(url: StoreLocation.configuration(environment: environment)
            .appendingPathComponent("remotes.json"))
    }

    /// The file at `url`.
    init(url: URL) { file = ConfigurationFile(url: url) }

    /// One named server.
    struct Remote: Codable, Equatable {
        var name: String
        var url: String
    }

    private struct Contents: Codable {
        var remotes: [String: String] = [:]
    }

    /// Every remote, by name.
    func all() throws -> [Remote] {
        try load().remotes.map { Remote(name: $0.key, url: $0.value) }.sorted { $0.name < $1.name }
    }

    /// The address of the remote called `name`, if there is one.
    func url(of name: String) throws -> ServerURL? {
        guard let text = try load().remotes[name] else { return nil }
        return try ServerURL(parsing: text)
    }

    /// Adds a remote; a name already taken is refused.
    func add(_ name: String, _ url: ServerURL) throws {
        try Self.validate(name)
        var contents = try load()
        if let existing = contents.remotes[name] {
            throw CommandFailure(message: "remote \"\(name)\" already exists (\(existing)); remove it first")
        }
        contents.remotes[name] = url.text
        try save(contents)
    }

    /// Removes the remote called `name`; an unknown name is refused.
    func remove(_ name: String) throws {
        var contents = try load()
        guard contents.remotes.removeValue(forKey: name) != nil else {
            throw CommandFailure(message: "no remote named \"\(name)\"")
        }
        try save(contents)
    }

    /// Refuses a name that could be taken for an address or is awkward in a shell.
    static func validate(_ name: String) throws {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        guard !name.isEmpty, name.count <= 64, name.unicodeScalars.allSatisfy(allowed.contains),
              !name.hasPrefix("-"), !name.hasPrefix(".")
        else {
            throw CommandFailure(message:
                "remote name \"\(name)\" may only contain letters, digits, '-', '_' and '.' (at most 64, not first '-' or '.')")
        }
    }

    private func load() throws -> Contents {
        guard let data = try file.read() else { return Contents() }
        do {
            return try JSONDecoder().decode(Contents.self, from: data)
        } catch {
            throw CommandFailure(message: "remotes file \(file.url.path) is not valid JSON of arttui's remotes")
        }
    }

    private func save(_ contents: Contents) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try file.write(try encoder.encode(contents), mode: 0o644)
    }
}
