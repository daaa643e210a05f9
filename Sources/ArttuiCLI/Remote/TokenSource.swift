/// Where the token a client sends came from, so that a refusal can say what to do about it: a
/// stored token is replaced by signing in again, `$ARTTUI_TOKEN` by setting a new one, and a token
/// that `arttui login` is checking is simply not taken.
enum TokenSource: Sendable, Equatable {
    /// No token: the request is signed out.
    case none
    /// `$ARTTUI_TOKEN`.
    case environment
    /// The token `arttui login` stored for the server.
    case stored
    /// The token `arttui login --token-file FILE` read.
    case loginFile(String)
    /// The token `arttui login` read from standard input.
    case loginInput

    /// The one-line message for a 401 from `server`, with the server's `detail` (why: unknown,
    /// revoked, expired at …) and the advice that fits where the token came from.
    func refusal(by server: ServerURL, detail: String) -> String {
        switch self {
        case .none: "not signed in to \(server): \(detail); run arttui login \(server)"
        case .environment: "$ARTTUI_TOKEN was refused by \(server): \(detail); set a new one (or unset it to use the token of arttui login)"
        case .stored: "server \(server) refused the stored token: \(detail); run arttui login \(server)"
        case .loginFile(let file): "server \(server) refused the token in \(file): \(detail)"
        case .loginInput: "server \(server) refused the token read from standard input: \(detail)"
        }
    }
}
