import Foundation

/// The server's rules for names in addresses (the patterns of its OpenAPI document).
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

    /// A project, artifact or version name: letters, digits, '_', '.', '-', at most 128.
    static func name(_ text: String, kind: String, in address: String) throws -> String {
        guard !text.isEmpty, text.count <= 128, text.unicodeScalars.allSatisfy(nameCharacters.contains),
              text != ".", text != ".."
        else {
            throw CommandFailure(message:
                "\(kind) \"\(text)\" in \"\(address)\" may only contain letters, digits, '_', '.' and '-' (at most 128)")
        }
        return text
    }
}
