/// The shape every API token the client sends must have: one word of printable ASCII. Anything else
/// cannot go in an `Authorization` header (a newline ends the header, and the server answers 400
/// without a problem description), so it is refused before a request is made, naming where it came from.
enum TokenText {
    /// `text` without surrounding blanks and newlines (a secret pasted into CI often ends in one).
    /// - Parameter source: Where the token came from, for the error: "$ARTTUI_TOKEN", "the token".
    /// - Throws: `CommandFailure` naming `source` (never the token itself).
    static func checked(_ text: String, from source: String) throws -> String {
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else {
            throw CommandFailure(message: "\(source) must be one word of printable ASCII")
        }
        return token
    }
}
