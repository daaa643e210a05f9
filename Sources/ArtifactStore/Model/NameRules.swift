import Foundation

/// The naming rules for projects, entities, artifacts and types, and the limits on descriptions.
///
/// Each check returns its input unchanged so callers can write `let name = try NameRules.validateArtifactName(raw)`,
/// and throws a `StoreError` naming the rule at fault. Ours are never looser than the reference client's.
public enum NameRules {
    /// The longest project, entity, artifact or type name, in Unicode scalars.
    public static let maxNameLength = 128
    /// The largest description, in bytes of UTF-8.
    public static let maxDescriptionBytes = 64 * 1024

    /// `validateArtifactName` as a regular expression (JSON Schema's, for the server's OpenAPI document):
    /// a name not starting with `.`, or one `.` and then not `.`, or `..` and then at least one more.
    public static let artifactNamePattern: String = {
        let character = "[A-Za-z0-9._-]", notDot = "[A-Za-z0-9_-]", most = maxNameLength
        return "^(?:\(notDot)\(character){0,\(most - 1)}|\\.\(notDot)\(character){0,\(most - 2)}|\\.\\.\(character){1,\(most - 2)})$"
    }()

    /// `validateProject` as a regular expression: none of the forbidden characters nor control characters,
    /// and at least one that is not a space; its length (1-128 characters) is the schema's `maxLength`.
    public static let projectNamePattern: String = {
        let excluded = forbiddenInNamespace.map { escapedForPattern($0.scalar) }.joined() + controlCharacterRange
        return "^[^\(excluded)]*[^\(excluded)\\s][^\(excluded)]*$"
    }()

    /// `validateType` as a regular expression, but for the reserved types (`job`, `wandb-…`, `arttui-…`),
    /// which the OpenAPI document names in words.
    public static let typePattern = "^[^/:\(controlCharacterRange)]{1,\(maxNameLength)}$"

    /// The characters of general category Cc, as a character-class range.
    private static let controlCharacterRange = "\\x00-\\x1f\\x7f-\\x9f"

    private static func escapedForPattern(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\\": return "\\\\"
        case "\r": return "\\r"
        case "\n": return "\\n"
        default: return String(scalar)
        }
    }

    /// Checks an artifact name: 1-128 ASCII letters, digits, `_`, `-` and `.`, and not `.` or `..`.
    /// - Throws: `StoreError.invalidName` with kind `artifact`.
    @discardableResult
    public static func validateArtifactName(_ name: String) throws -> String {
        try checkLength(name, kind: "artifact")
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (isASCIIAlphanumeric(scalar) || scalar == "_" || scalar == "-" || scalar == ".")
        }
        guard allowed else {
            throw StoreError.invalidName(
                kind: "artifact", value: name, rule: "may only contain letters, digits, '-', '_' and '.'")
        }
        if name == "." || name == ".." {
            throw StoreError.invalidName(kind: "artifact", value: name, rule: "may not be '.' or '..'")
        }
        return name
    }

    /// Checks a project name: 1-128 characters, Unicode allowed, none of `/ \ # ? % :` nor control characters,
    /// and not only spaces.
    /// - Throws: `StoreError.invalidName` with kind `project`.
    @discardableResult
    public static func validateProject(_ name: String) throws -> String {
        try checkNamespace(name, kind: "project")
        return name
    }

    /// Checks an entity (user or team) name; the rules are those of project names.
    /// - Throws: `StoreError.invalidName` with kind `entity`.
    @discardableResult
    public static func validateEntity(_ name: String) throws -> String {
        try checkNamespace(name, kind: "entity")
        return name
    }

    /// Checks an artifact type: 1-128 characters, no `/`, `:` or control characters, and not reserved
    /// (`job`, `wandb-…`, `arttui-…`, in any case).
    /// - Throws: `StoreError.invalidName` with kind `type`.
    @discardableResult
    public static func validateType(_ type: String) throws -> String {
        try checkLength(type, kind: "type")
        for forbidden: Unicode.Scalar in ["/", ":"] where type.unicodeScalars.contains(forbidden) {
            throw StoreError.invalidName(kind: "type", value: type, rule: "may not contain '\(forbidden)'")
        }
        try checkNoControlCharacters(type, kind: "type")
        let lowered = type.lowercased()
        if lowered == "job" || lowered.hasPrefix("wandb-") || lowered.hasPrefix("arttui-") {
            throw StoreError.invalidName(kind: "type", value: type, rule: "is reserved")
        }
        return type
    }

    /// Checks a description: any text up to 64 KiB of UTF-8, without NUL characters.
    /// - Throws: `StoreError.invalidDescription`.
    @discardableResult
    public static func validateDescription(_ text: String) throws -> String {
        let bytes = text.utf8.count
        if bytes > maxDescriptionBytes {
            throw StoreError.invalidDescription(
                reason: "is \(bytes) bytes long; at most \(maxDescriptionBytes) bytes of UTF-8 are allowed")
        }
        if text.utf8.contains(0) {
            throw StoreError.invalidDescription(reason: "may not contain NUL characters")
        }
        return text
    }

    // MARK: - Shared checks

    /// The characters the reference forbids in project names, with how an error message shows each.
    private static let forbiddenInNamespace: [(scalar: Unicode.Scalar, shown: String)] = [
        ("/", "'/'"), ("\\", "'\\'"), ("#", "'#'"), ("?", "'?'"), ("%", "'%'"), (":", "':'"),
        ("\r", "a carriage return"), ("\n", "a line break"),
    ]

    private static func checkNamespace(_ name: String, kind: String) throws {
        try checkLength(name, kind: kind)
        for (scalar, shown) in forbiddenInNamespace where name.unicodeScalars.contains(scalar) {
            throw StoreError.invalidName(kind: kind, value: name, rule: "may not contain \(shown)")
        }
        try checkNoControlCharacters(name, kind: kind)
        if name.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            throw StoreError.invalidName(kind: kind, value: name, rule: "may not consist only of spaces")
        }
    }

    private static func checkLength(_ name: String, kind: String) throws {
        if name.isEmpty {
            throw StoreError.invalidName(kind: kind, value: name, rule: "must not be empty")
        }
        // Scalars, not grapheme clusters: the reference counts code points, and this is never looser.
        if name.unicodeScalars.count > maxNameLength {
            throw StoreError.invalidName(
                kind: kind, value: name, rule: "is longer than \(maxNameLength) characters")
        }
    }

    private static func checkNoControlCharacters(_ name: String, kind: String) throws {
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw StoreError.invalidName(kind: kind, value: name, rule: "may not contain control characters")
        }
    }

    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
