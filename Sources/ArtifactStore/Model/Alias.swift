import Foundation

/// The rules for aliases, checked in one place.
///
/// An alias points at exactly one version of its artifact; two aliases of one artifact may not differ
/// only by case. `latest` and `v<digits>` are managed by the store and cannot be set by hand.
public enum Alias {
    /// The alias the store keeps on the newest committed version.
    public static let latest = "latest"
    /// The longest alias accepted.
    public static let maxLength = 128

    /// The key under which aliases are unique within an artifact.
    public static func key(_ alias: String) -> String { alias.lowercased() }

    /// Whether the store manages this alias itself (`latest`, `v0`, `v1`, …), in any case.
    public static func isManaged(_ alias: String) -> Bool {
        let lowered = alias.lowercased()
        if lowered == latest { return true }
        guard lowered.hasPrefix("v"), lowered.count > 1 else { return false }
        return lowered.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Checks an alias that a user wants to set by hand and returns it unchanged.
    /// - Throws: `StoreError.invalidAlias` naming the rule it breaks.
    @discardableResult
    public static func validateManual(_ alias: String) throws -> String {
        try validateSyntax(alias)
        if isManaged(alias) {
            throw StoreError.invalidAlias(alias: alias, rule: "is managed by the store and cannot be set by hand")
        }
        return alias
    }

    /// Checks the characters and length of an alias, without the rule on managed aliases.
    public static func validateSyntax(_ alias: String) throws {
        if alias.isEmpty {
            throw StoreError.invalidAlias(alias: alias, rule: "must not be empty")
        }
        if alias.count > maxLength {
            throw StoreError.invalidAlias(alias: alias, rule: "is longer than \(maxLength) characters")
        }
        if alias.contains("/") || alias.contains(":") {
            throw StoreError.invalidAlias(alias: alias, rule: "may not contain '/' or ':'")
        }
        if alias.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw StoreError.invalidAlias(alias: alias, rule: "may not contain control characters")
        }
        if alias.trimmingCharacters(in: .whitespaces) != alias {
            throw StoreError.invalidAlias(alias: alias, rule: "may not start or end with a space")
        }
    }
}
