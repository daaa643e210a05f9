/// Where a binding applies.
public enum BindingContext: String, CaseIterable, Sendable {
    /// Everywhere, dialogs included.
    case global = "Everywhere"
    /// The four list panes.
    case browse = "Browsing"
    /// The lineage view.
    case lineage = "Lineage"
    /// The cache view.
    case cache = "Cache"
    /// Dialogs and text inputs.
    case dialog = "Dialogs"
    /// The diff view.
    case diff = "Diff"
    /// The search view.
    case search = "Search"
    /// The description editor (`e`).
    case editor = "Description editor"
    /// The metadata editor (`M`).
    case metadata = "Metadata editor"
    /// The command line (`:`).
    case commandLine = "Command line"
    /// This key table (`?`).
    case help = "Help"
}

/// One entry of the key table: keys, what they do, where, and how help and the footer say it.
public struct KeyBinding: Sendable {
    /// Keys that trigger the action; the first is the one the footer shows.
    public var keys: [Key]
    /// What happens.
    public var action: Action
    /// Where it applies.
    public var context: BindingContext
    /// A word or two for the footer; `nil` keeps the binding out of the footer.
    public var hint: String?
    /// A sentence for the help overlay.
    public var help: String
    /// How the footer names the keys, when not by the first key (`j/k`).
    public var footerKeys: String?

    /// Creates a binding.
    public init(_ keys: [Key], _ action: Action, _ context: BindingContext, hint: String? = nil, help: String,
                footerKeys: String? = nil) {
        self.footerKeys = footerKeys
        self.keys = keys
        self.action = action
        self.context = context
        self.hint = hint
        self.help = help
    }

    /// The keys as help shows them: `j/↓`.
    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}
