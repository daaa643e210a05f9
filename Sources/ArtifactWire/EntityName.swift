/// The rules for user and team names, which appear in `ENTITY/PROJECT` paths and in URLs: checked by the
/// server when it creates one and by the command line before it sends one.
public enum EntityName {
    /// The longest name.
    public static let maxLength = 64

    /// The same rule as a regular expression, as the OpenAPI document states it for every user and team name.
    public static let pattern = "^[A-Za-z0-9_][A-Za-z0-9._-]{0,\(maxLength - 1)}$"

    /// The rule `name` breaks, worded to follow `entity name "NAME"`, or nil for a good name: 1-64 ASCII
    /// letters, digits, `-`, `_` and `.`, not starting with `.` or `-` (which a command line takes for an option).
    public static func brokenRule(of name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.unicodeScalars.count > maxLength { return "is longer than \(maxLength) characters" }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_" || scalar == ".")
        }
        if !allowed { return "may only contain letters, digits, '-', '_' and '.'" }
        if name.hasPrefix(".") || name.hasPrefix("-") { return "may not start with '.' or '-'" }
        return nil
    }
}
