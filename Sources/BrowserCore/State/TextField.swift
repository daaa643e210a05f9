/// A one-line text input: typing appends, Backspace deletes, Ctrl-U clears.
public struct TextField: Hashable, Sendable {
    /// The text typed so far.
    public var text: String

    /// Creates a field holding `text`.
    public init(_ text: String = "") {
        self.text = text
    }

    /// Applies an editing key; returns false for keys that are not editing.
    mutating func edit(_ key: Key) -> Bool {
        switch key {
        case .char(let c):
            text.append(c)
        case .paste(let pasted):
            // One line: a pasted line break becomes a space.
            text += pasted.split(whereSeparator: \.isNewline).joined(separator: " ")
        case .backspace, .delete, .ctrl("h"):
            if !text.isEmpty { text.removeLast() }
        case .ctrl("u"):
            text = ""
        default:
            return false
        }
        return true
    }
}
