import ArgumentParser
import ArtifactStore
import ArtifactWire
@testable import ArttuiCLI
import CommandLineSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Credentials, remotes, server addresses and the global options, without a server.
@Suite("server configuration")
struct ServerConfigurationTests {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let failure as CommandFailure {
            return failure.message
        } catch {
            return "\(error)"
        }
    }

    /// The one line `arttui ARGUMENTS` prints when its parse refuses them; nil when they parse.
    private func parseRefusal(_ arguments: [String]) -> String? {
        do {
            _ = try Arttui.parseCommand(Arttui.hoistingGlobalOptions(arguments))
            return nil
        } catch {
            return Arttui.refusalLine(for: error)
        }
    }

    @Test("tokens are kept per server in a 0600 file written by rename")
    func perServerTokens() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = CredentialStore(url: directory.appendingPathComponent("arttui/credentials.json"))
        let first = try ServerURL(parsing: "https://A.example.com/")
        let second = try ServerURL(parsing: "http://127.0.0.1:8080")
        #expect(try store.token(for: first) == nil)
        try store.store("one", for: first)
        var before = stat()
        stat(store.file.url.path, &before)
        try store.store("two", for: second)
        var after = stat()
        stat(store.file.url.path, &after)
        #expect(after.st_mode & 0o777 == 0o600)
        #expect(before.st_ino != after.st_ino, "the file must be replaced by rename, not rewritten in place")
        #expect(try store.token(for: ServerURL(parsing: "https://a.example.com")) == "one")
        #expect(try store.token(for: second) == "two")
        #expect(try store.servers() == [second, first])
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.file.url.deletingLastPathComponent().path)
            == ["credentials.json"])
        #expect(try store.remove(for: first))
        #expect(try !store.remove(for: first))
        #expect(try store.token(for: first) == nil && store.token(for: second) == "two")
    }

    @Test("a group- or world-readable credentials file is refused")
    func looseFileRefused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = CredentialStore(url: directory.appendingPathComponent("credentials.json"))
        let server = try ServerURL(parsing: "https://a.example.com")
        try store.store("secret", for: server)
        for mode: mode_t in [0o640, 0o604] {
            chmod(store.file.url.path, mode)
            let refusal = message { _ = try store.token(for: server) }
            #expect(refusal?.contains(String(format: "(mode %03o)", Int(mode))) == true, "\(refusal ?? "accepted")")
            #expect(refusal?.contains("secret") == false)
        }
        chmod(store.file.url.path, 0o600)
        #expect(try store.token(for: server) == "secret")
    }

    @Test("$ARTTUI_TOKEN overrides the stored token")
    func environmentTokenWins() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["XDG_CONFIG_HOME": directory.path]
        let server = try ServerURL(parsing: "https://a.example.com")
        try CredentialStore(environment: environment).store("stored", for: server)
        let stored = try ServerOptions.token(for: server, environment: environment)
        #expect(stored?.value == "stored" && stored?.source == .stored)
        let fromCI = try ServerOptions.token(for: server, environment: environment.merging(["ARTTUI_TOKEN": "ci"]) { $1 })
        #expect(fromCI?.value == "ci" && fromCI?.source == .environment)
        #expect(try ServerOptions.token(for: ServerURL(parsing: "https://b.example.com"), environment: environment) == nil)
    }

    @Test("remotes: add, look up, refuse duplicates and bad names, remove")
    func remoteRegistry() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["XDG_CONFIG_HOME": directory.path]
        let registry = RemoteRegistry(environment: environment)
        try registry.add("team", ServerURL(parsing: "https://arttui.example.com:8443/"))
        #expect(message { try registry.add("team", ServerURL(parsing: "https://other.example.com")) }?
            .contains("already exists") == true)
        #expect(message { try registry.add("-x", ServerURL(parsing: "https://other.example.com")) } != nil)
        #expect(message { try registry.add("a/b", ServerURL(parsing: "https://other.example.com")) } != nil)
        #expect(try ServerOptions.resolve("team", environment: environment).text == "https://arttui.example.com:8443")
        #expect(try ServerOptions.resolve("http://h:1", environment: environment).text == "http://h:1")
        #expect(message { _ = try ServerOptions.resolve("nope", environment: environment) }?.contains("no remote named") == true)
        #expect(try registry.all().map(\.name) == ["team"])
        try registry.remove("team")
        #expect(message { try registry.remove("team") } != nil)
        var options = try ServerOptions.parse([])
        #expect(try options.selectedServer(environment: environment) == nil)
        #expect(try options.selectedServer(environment: ["ARTTUI_REMOTE": "http://x:2"])?.text == "http://x:2")
        options = try ServerOptions.parse(["--remote", "http://y:3"])
        #expect(try options.selectedServer(environment: ["ARTTUI_REMOTE": "http://x:2"])?.text == "http://y:3")
    }

    @Test("server addresses: one spelling, and only http(s) without user, query or fragment")
    func serverURLs() throws {
        #expect(try ServerURL(parsing: "HTTPS://Arttui.Example.COM:8443//").text == "https://arttui.example.com:8443")
        #expect(try ServerURL(parsing: "http://127.0.0.1:18500/prefix/").text == "http://127.0.0.1:18500/prefix")
        #expect(try ServerURL(parsing: "http://h").url("/api/v1/whoami").absoluteString == "http://h/api/v1/whoami")
        for bad in ["ftp://h", "h:80", "https://", "https://user:pw@h", "https://h?x=1", "https://h#f", ""] {
            #expect(message { _ = try ServerURL(parsing: bad) } != nil, "accepted \(bad)")
        }
        #expect(pathSegment("a b/../c") == "a%20b%2F..%2Fc")
    }

    @Test("a token typed into an address, a remote's name or login's arguments is refused without being repeated")
    func tokensInArgumentsAreNotRepeated() throws {
        let token = TokenShape.prefix + String(repeating: "0f", count: TokenShape.hexDigits / 2)
        let refusals: [(String, String?)] = [
            ("http://\(token)@127.0.0.1:8080", "server address \"http://…@127.0.0.1:8080\" may not contain a user or password"),
            ("http://u:\(token)@h/p", "server address \"http://…@h/p\" may not contain a user or password"),
            ("https://h:8443/?token=\(token)", "server address \"https://h:8443/?…\" may not contain a query or fragment"),
            ("https://h#\(token)", "server address \"https://h#…\" may not contain a query or fragment"),
            (token, ServerOptions.tokenInArgument.message),
        ]
        for (argument, expected) in refusals {
            let refusal = message { _ = try ServerOptions.resolve(argument, environment: [:]) }
            #expect(refusal == expected, "\(argument)")
            #expect(refusal?.contains(token) == false)
        }
        // A remote may still be named like a token's prefix.
        #expect(!TokenShape.matches("arttui_team") && TokenShape.matches(token))
        // `arttui login TOKEN` is refused by the resolve above; a token after the server by the parse.
        for arguments in [["login", "team", token], ["login", "--token-file", "f", "team", token]] {
            let refusal = parseRefusal(arguments)
            #expect(refusal?.contains("never as an argument") == true, "\(arguments): \(refusal ?? "accepted")")
            #expect(refusal?.contains(token) == false)
        }
        #expect(parseRefusal(["login", "team", "extra"]) == "login takes one server; the token goes on standard input or in --token-file")
    }

    @Test("addresses on a server: ENTITY/PROJECT/NAME[:REF], ENTITY/ optional")
    func serverAddresses() throws {
        let full = try ServerArtifactAddress(parsing: "ml/mnist/model:best")
        #expect(full.entity == "ml" && full.project == "mnist" && full.name == "model" && full.reference == "best")
        let short = try ServerArtifactAddress(parsing: "mnist/model")
        #expect(short.entity == nil && short.project == "mnist" && short.name == "model" && short.reference == nil)
        for bad in ["model", "a/b/c/d", "ml/mnist/model:", "ml//model", "-x/p/n", "m l/p/n", "p/n:a/b", "p/n:v99999999999"] {
            #expect(message { _ = try ServerArtifactAddress(parsing: bad) } != nil, "accepted \(bad)")
        }
        #expect(try ServerProjectPath(parsing: "ml/mnist") == ServerProjectPath(parsing: "ml/mnist"))
        let own = try ServerProjectPath(parsing: "mnist")
        let resolved = own.resolved { "alice" }
        #expect(own.entity == nil && resolved.entity == "alice" && resolved.project == "mnist")
        #expect(message { _ = try ServerProjectPath(parsing: "a/b/c") } != nil)
    }

    @Test("server options before the subcommand move after it, as --store does")
    func hoisting() {
        #expect(Arttui.hoistingGlobalOptions(["--remote", "team", "--insecure", "whoami", "--json"])
            == ["whoami", "--json", "--remote", "team", "--insecure"])
        #expect(Arttui.hoistingGlobalOptions(["--ca-cert=c.pem", "--timeout", "2", "project", "ls", "--", "x"])
            == ["project", "ls", "--ca-cert=c.pem", "--timeout", "2", "--", "x"])
        #expect(Arttui.hoistingGlobalOptions(["ls", "--remote", "x"]) == ["ls", "--remote", "x"])
    }
}
