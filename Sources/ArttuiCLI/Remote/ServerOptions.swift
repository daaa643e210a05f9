import ArgumentParser
import ArtifactStore
import ArtifactWire
import Foundation

/// `--remote`, `--ca-cert`, `--insecure`, `--timeout`: which team server a command talks to, and how.
struct ServerOptions: ParsableArguments {
    @Option(name: .customLong("remote"), help: ArgumentHelp(
        "Send the command to this team server: a remote's name or an address (default: $ARTTUI_REMOTE).",
        valueName: "name|url"))
    var remotes: [String] = []

    @Option(name: .customLong("ca-cert"), help: ArgumentHelp(
        "Trust only the certificate authorities in this PEM file for the server (default: $ARTTUI_CA_CERT).",
        valueName: "file"))
    var caCertificate: String?

    @Flag(help: "Do not verify the server's TLS certificate (said on stderr every time).")
    var insecure = false

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Seconds connecting, or a stall with no byte moving, may last before giving up (default: $ARTTUI_TIMEOUT, else 4.5).",
        valueName: "seconds"), transform: OptionNumbers.timeout.read)
    var timeout: Double?

    func validate() throws {
        if remotes.count > 1 { throw ValidationError("--remote given \(remotes.count) times; give one server") }
    }

    /// The selected server: `--remote`, else `$ARTTUI_REMOTE`; nil when neither is given.
    func selectedServer(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerURL? {
        let chosen = remotes.first ?? environment["ARTTUI_REMOTE"].flatMap { $0.isEmpty ? nil : $0 }
        guard let chosen else { return nil }
        return try Self.resolve(chosen, environment: environment)
    }

    /// A remote's name or an address, as a server address.
    static func resolve(_ nameOrAddress: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> ServerURL
    {
        if ServerURL.looksLikeAddress(nameOrAddress) { return try ServerURL(parsing: nameOrAddress) }
        if TokenShape.matches(nameOrAddress) { throw Self.tokenInArgument }
        guard let url = try RemoteRegistry(environment: environment).url(of: nameOrAddress) else {
            throw CommandFailure(message:
                "no remote named \"\(nameOrAddress)\" (arttui remote ls lists them; an address starts with https://)")
        }
        return url
    }

    /// The refusal of an API token typed as an argument, which does not repeat it.
    static let tokenInArgument = CommandFailure(message:
        "that argument is an API token: give it on standard input of arttui login, in --token-file or in $ARTTUI_TOKEN, "
            + "never as an argument, where ps shows it", status: ExitCode.validationFailure.rawValue)

    /// The selected server, or a one-line error saying how to select one.
    func requiredServer(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerURL {
        guard let server = try selectedServer(environment: environment) else {
            throw CommandFailure(message: "no server selected: give --remote NAME|URL or set $ARTTUI_REMOTE")
        }
        return server
    }

    /// The default `--timeout`: with the process's start and the stall watch's 100 ms wake-ups, a server
    /// that does not answer makes a command fail within 5 seconds of its start (5 s took 5.2 s).
    static let defaultTimeout: Double = 4.5

    /// A client for `server` signed in with `token` (which `arttui login` read from `source`); nil token
    /// means `$ARTTUI_TOKEN`, else the stored one.
    func client(
        for server: ServerURL, token explicitToken: (value: String, source: TokenSource)? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ServerClient {
        let seconds = try timeout ?? Self.environmentTimeout(environment) ?? Self.defaultTimeout
        let caFile = caCertificate ?? environment["ARTTUI_CA_CERT"].flatMap { $0.isEmpty ? nil : $0 }
        // Read now, so a missing file or a directory is refused before any request, in the words of every named file.
        if let caFile { _ = try NamedFile.contents(atPath: caFile, operation: "read the CA certificate file") }
        if insecure {
            FileHandle.standardError.write(Data(
                "arttui: warning: --insecure: the TLS certificate of \(server) is not verified\n".utf8))
        }
        let token = try explicitToken ?? Self.token(for: server, environment: environment)
        return ServerClient(
            server: server, token: token?.value, from: token?.source ?? .none, timeout: seconds, caCertificate: caFile,
            insecure: insecure)
    }

    /// `$ARTTUI_TOKEN` (for CI jobs), else the token `arttui login` stored for `server`, with where it came from.
    static func token(for server: ServerURL, environment: [String: String]) throws
        -> (value: String, source: TokenSource)?
    {
        if let text = environment["ARTTUI_TOKEN"], case let token = try TokenText.checked(text, from: "$ARTTUI_TOKEN"),
           !token.isEmpty
        {
            return (value: token, source: .environment)
        }
        return try CredentialStore(environment: environment).token(for: server).map { (value: $0, source: TokenSource.stored) }
    }

    private static func environmentTimeout(_ environment: [String: String]) throws -> Double? {
        guard let text = environment["ARTTUI_TIMEOUT"], !text.isEmpty else { return nil }
        return try OptionNumbers.timeout.read(text, for: "$ARTTUI_TIMEOUT")
    }
}

/// One path segment of an API URL, percent-encoded so a name cannot reach another route.
func pathSegment(_ text: String) -> String {
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(charactersIn: "/;?#%")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}
