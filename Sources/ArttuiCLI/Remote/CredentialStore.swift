import ArtifactStore
import Foundation

/// API tokens per server in `credentials.json` (mode 0600). A file others may read is refused, as ssh
/// refuses a private key with loose permissions: the tokens in it may already have leaked.
struct CredentialStore {
    /// The credentials file.
    let file: ConfigurationFile

    /// The file in the configuration directory for `environment`.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        file = ConfigurationFile(url: StoreLocation.configuration(environment: environment)
            .appendingPathComponent("credentials.json"))
    }

    /// The file at `url`.
    init(url: URL) { file = ConfigurationFile(url: url) }

    private struct Contents: Codable {
        var servers: [String: Entry] = [:]
    }

    private struct Entry: Codable {
        var token: String
    }

    /// The stored token for `server`, if any.
    func token(for server: ServerURL) throws -> String? {
        try load().servers[server.text]?.token
    }

    /// The servers that have a stored token, in order.
    func servers() throws -> [ServerURL] {
        try load().servers.keys.compactMap { try? ServerURL(parsing: $0) }.sorted()
    }

    /// Stores `token` for `server`, replacing any earlier one.
    func store(_ token: String, for server: ServerURL) throws {
        var contents = try load()
        contents.servers[server.text] = Entry(token: token)
        try save(contents)
    }

    /// Forgets the token for `server`; returns whether there was one.
    @discardableResult
    func remove(for server: ServerURL) throws -> Bool {
        var contents = try load()
        guard contents.servers.removeValue(forKey: server.text) != nil else { return false }
        try save(contents)
        return true
    }

    private func load() throws -> Contents {
        var status = stat()
        if stat(file.url.path, &status) == 0, status.st_mode & 0o077 != 0 {
            throw CommandFailure(message: String(
                format: "credentials file %@ is readable by others (mode %03o); run chmod 600 %@",
                file.url.path, Int(status.st_mode & 0o777), file.url.path))
        }
        guard let data = try file.read() else { return Contents() }
        do {
            return try JSONDecoder().decode(Contents.self, from: data)
        } catch {
            throw CommandFailure(message: "credentials file \(file.url.path) is not valid JSON of arttui's credentials")
        }
    }

    private func save(_ contents: Contents) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try file.write(try encoder.encode(contents), mode: 0o600)
    }
}
