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
    /// Whether the store could not be reached at all (a server that went away or does not
    /// answer), rather than refusing or failing the request: `r` may then work again.
    public var isUnreachable: Bool

    /// Wraps an error; an `UnreachableStoreError` that says so makes an unreachable failure.
    public init(_ error: any Error) {
        message = String(describing: error)
        isUnreachable = (error as? any UnreachableStoreError)?.isUnreachable ?? false
    }

    /// A failure with a message.
    public init(message: String, isUnreachable: Bool = false) {
        self.message = message
        self.isUnreachable = isUnreachable
    }

    public var description: String { message }
}

/// An error a `BrowserStore` throws that can tell a store it could not reach (a server down, a
/// connection refused or timed out) from one that answered with a refusal or a failure. The
/// browser then keeps what is on screen, says so in the status line and offers `r` to reconnect.
public protocol UnreachableStoreError: Error {
    /// True when the request never got an answer from the store.
    var isUnreachable: Bool { get }
}
