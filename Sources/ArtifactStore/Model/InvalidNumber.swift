/// A number a `NumberRule` refused: the text as given and what it must be.
public struct InvalidNumber: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text as given.
    public var text: String
    /// What a value must be: `must be a whole number of 0 or more`.
    public var requirement: String

    /// A refusal of `text` for not meeting `requirement`.
    public init(text: String, requirement: String) {
        self.text = text
        self.requirement = requirement
    }

    /// The requirement alone: the command line's parser names the option and the value itself.
    public var description: String { requirement }

    /// The one-line refusal for the setting `name`: `--keep-last must be a whole number of 0 or more, got -1`.
    public func naming(_ name: String) -> String { "\(name) \(refusal)" }

    /// The refusal without the setting's name: `must be a whole number of 0 or more, got -1`.
    public var refusal: String { "\(requirement), got \(text.isEmpty ? "\"\"" : text)" }
}
