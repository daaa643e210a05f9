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
    /// `:diff [REF]`: the diff view of `D`, against REF (`vN`, `latest` or an alias of the same
    /// artifact) or, without REF, the version before.
    case diff(base: String?)
}

/// Why a command line was refused, shown under it.
public struct CommandLineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension CommandRequest {
    /// Whether the command changes the selected version (or, for `:prune`, its artifact).
    var changesTheVersion: Bool {
        switch self {
        case .addAlias, .removeAlias, .describe, .prune: true
        case .get, .diff: false
        }
    }
}
