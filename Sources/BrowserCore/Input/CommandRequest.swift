/// A command of the `:` line, parsed: what the user asked for, before it runs.
///
/// Each case is carried out by the same update code as the key that does the same thing
/// (`Browser.execute`), so the command line is a second way in, not a second implementation.
public enum CommandRequest: Hashable, Sendable {
    /// `:alias add NAME`: as `a`, typing NAME.
    case addAlias(String)
    /// `:alias rm NAME`: as `x`, choosing NAME.
    case removeAlias(String)
    /// `:describe TEXT`: saves TEXT as the description; without TEXT, opens the editor (`e`).
    case describe(String?)
    /// `:prune --keep-last N`: the prune dialog (`P`) with N filled in.
    case prune(keepLast: Int)
    /// `:get --root DIR`: writes the version's files, as `arttui get`.
    case get(root: String?)
}

/// Why a command line was refused, shown under it.
public struct CommandLineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
