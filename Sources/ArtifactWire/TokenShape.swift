/// How an API token reads: `arttui_` and 64 lowercase hex digits (256 random bits). The server makes
/// tokens of this shape; the client recognises one typed where a token must never go (an argument, a
/// remote's name) and refuses it without repeating it.
public enum TokenShape {
    /// The prefix every token starts with, so a leaked one is recognisable.
    public static let prefix = "arttui_"
    /// How many hex digits follow the prefix.
    public static let hexDigits = 64

    /// Whether `text` has a token's shape.
    public static func matches(_ text: String) -> Bool {
        guard text.hasPrefix(prefix) else { return false }
        let digits = text.utf8.dropFirst(prefix.utf8.count)
        return digits.count == hexDigits && digits.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
