/// The outcome of the last action, shown in the status line.
public struct StatusMessage: Hashable, Sendable {
    /// How the message is styled.
    public enum Kind: Hashable, Sendable { case info, success, danger }

    /// The message.
    public var text: String
    /// Info, success or an error (danger style).
    public var kind: Kind

    /// Creates a message.
    public init(_ text: String, _ kind: Kind = .info) {
        self.text = text
        self.kind = kind
    }
}

/// Work running on the worker, shown with the spinner.
public struct BusyTask: Hashable, Sendable {
    /// What is being done: `pruning 12 versions`.
    public var label: String
    /// Whether Esc may abandon it (reads); writes run to the end.
    public var cancellable: Bool
}

/// A failure reported by the store, kept as the text the user will see.
public struct StoreFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// `String(describing: error)` of the original error.
    public var message: String

    /// Wraps an error.
    public init(_ error: any Error) {
        message = String(describing: error)
    }

    /// A failure with a message.
    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
