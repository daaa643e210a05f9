import ArgumentParser
import ArtifactStore
import ArtifactWire
import Foundation

/// `arttui login URL`: checks a token against a server and stores it for that server.
struct LoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in to a team server with an API token read from standard input.",
        discussion: """
            The token is read from standard input (or --token-file), never from the command line where \
            ps would show it, checked with the server, and stored in \
            ${XDG_CONFIG_HOME:-~/.config}/arttui/credentials.json (mode 0600). $ARTTUI_TOKEN overrides it.
            """)

    @OptionGroup var server: ServerOptions

    @Argument(help: ArgumentHelp("The server: an address or a remote's name (default: --remote, $ARTTUI_REMOTE).",
                                 valueName: "url"))
    var address: String?

    @Option(help: ArgumentHelp("Read the token from this file instead of standard input.", valueName: "file"))
    var tokenFile: String?

    /// Anything after the server, taken so a token typed there is refused without being repeated
    /// (the parser's "Unexpected argument" would show it).
    @Argument(help: .hidden)
    var unexpected: [String] = []

    func validate() throws {
        guard unexpected.isEmpty else {
            throw ValidationError(unexpected.contains(where: TokenShape.matches)
                ? ServerOptions.tokenInArgument.message
                : "login takes one server; the token goes on standard input or in --token-file")
        }
    }

    func run() throws {
        let target = try address.map { try ServerOptions.resolve($0) } ?? server.requiredServer()
        // Fail on a loose credentials file before asking for anything.
        let credentials = CredentialStore()
        _ = try credentials.token(for: target)
        let token = try readToken(for: target)
        let identity = try server.client(for: target, token: (token, tokenFile.map(TokenSource.loginFile) ?? .loginInput))
            .whoami()
        try credentials.store(token, for: target)
        print("signed in to \(target) as \(identity.name)")
    }

    private func readToken(for target: ServerURL) throws -> String {
        let text: String
        if let tokenFile {
            text = String(decoding: try NamedFile.contents(atPath: tokenFile, operation: "read the token file"), as: UTF8.self)
        } else {
            text = Self.readStandardInput(prompt: "token for \(target): ")
        }
        let token = try TokenText.checked(text, from: "the token")
        guard !token.isEmpty else {
            throw CommandFailure(message: "no token given " + (tokenFile.map { "in \($0)" } ?? "on standard input"))
        }
        return token
    }

    /// One line of standard input; on a terminal, prompted on stderr and not echoed.
    private static func readStandardInput(prompt: String) -> String {
        guard isatty(STDIN_FILENO) == 1 else { return readLine(strippingNewline: true) ?? "" }
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
