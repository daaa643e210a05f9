/// `:`: the command line at the bottom of the screen.
public struct CommandLineState: Hashable, Sendable {
    /// What is typed after the colon.
    public var field = TextField()
    /// Which history entry is shown (counting back from the newest), nil while typing anew.
    public var historyIndex: Int?
    /// What was typed before stepping into the history, restored when stepping out.
    public var draft = ""
    /// Candidates of the last Tab that did not settle on one, shown above the line.
    public var candidates: [String] = []
    /// Why the last command was refused, shown in place.
    public var error: String?
}
