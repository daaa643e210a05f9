import ArtifactWire

/// Names in a server's addresses: the entity by the server's own rule (`EntityName`); every other part of
/// an address is checked by the store's rules.
enum ServerNames {
    /// `text` when it is a user or team name.
    /// - Throws: `CommandFailure` in the server's words: `entity name "-x" may not start with '.' or '-'`.
    static func entity(_ text: String, in address: String) throws -> String {
        if let rule = EntityName.brokenRule(of: text) {
            throw CommandFailure(message: "entity name \"\(text)\" in \"\(address)\" \(rule)")
        }
        return text
    }
}
