import Foundation

/// The server's rule for user and team names in addresses (its `EntityName`, which the command line does not
/// link); every other part of an address is checked by the store's own rules.
enum ServerNames {
    private static let nameCharacters = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")

    /// A user or team name: letters, digits, '_', '.', '-', not starting with '.' or '-', at most 64.
    static func entity(_ text: String, in address: String) throws -> String {
        guard !text.isEmpty, text.count <= 64, text.unicodeScalars.allSatisfy(nameCharacters.contains),
              !text.hasPrefix("."), !text.hasPrefix("-")
        else {
            throw CommandFailure(message: "entity \"\(text)\" in \"\(address)\" may only contain letters, digits, "
                + "'_', '.' and '-' (not first '.' or '-', at most 64)")
        }
        return text
    }
}
