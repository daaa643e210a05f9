import Foundation

/// The rules for aliases, checked in one place.
///
/// An alias points at exactly one version of its artifact; two aliases of one artifact may not differ
/// only by case. `latest` and `v<digits>` are managed by the store and cannot be set by hand.
///
/// A new alias is 1-128 letters (of any script), digits, `-`, `_` and `.` (`validateManual`): the
/// reference allows anything but `/` and `:`, but an alias with a space, a quote, a `$`, a `*` or a
/// control character cannot be typed back in a shell, or in `project/name:ALIAS`, as it was shown.
/// Aliases set before this rule stay readable and removable: naming one (`validateSyntax`) only needs
/// what an address can carry.
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

    /// Checks an alias that a user wants to set by hand (every path that sets one: put, `alias add`,
    /// edits, the browser, push and pull, the server's API and uploads, imports) and returns it unchanged.
    /// - Throws: `StoreError.invalidAlias` naming the rule it breaks.
    @discardableResult
    public static func validateManual(_ alias: String) throws -> String {
        try validateSyntax(alias)
        let typeable = alias.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
                || scalar == "-" || scalar == "_" || scalar == "."
        }
        if !typeable {
            throw StoreError.invalidAlias(alias: alias, rule: "may only contain letters, digits, '-', '_' and '.'")
        }
        if isManaged(alias) {
            throw StoreError.invalidAlias(alias: alias, rule: "is managed by the store and cannot be set by hand")
        }
        return alias
    }

    /// Checks the hand-set aliases of one version and that no two of them differ only by case; those
    /// in `existing` (the version's own, kept by an edit) were checked when they were set, under the
    /// rule of their day.
    /// - Throws: `StoreError.invalidAlias` naming the first alias at fault and the rule it breaks.
    public static func validateManual(_ aliases: [String], keeping existing: [String] = []) throws {
        let existingKeys = Set(existing.map(key))
        var keys = Set<String>()
        for alias in aliases {
            if !existingKeys.contains(key(alias)) { try validateManual(alias) }
            guard keys.insert(key(alias)).inserted else {
                throw StoreError.invalidAlias(alias: alias, rule: "is given twice (aliases are compared ignoring case)")
            }
        }
    }

    /// Checks that a text can name an alias, new or set before today's rule (to read or remove it):
    /// the length, and no `/`, `:`, control characters or surrounding spaces.
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
