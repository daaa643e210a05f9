import ArtifactStore
import ArtifactWire
@testable import ArttuiServer
import Foundation
import Testing

/// The OpenAPI document states the server's own rules: each `pattern` it gives is built from the
/// server's constants, and matches exactly the texts the server's check accepts.
@Suite struct OpenAPIConstraintsTests {
    /// Every `pattern:` value in the document, in order: double-quoted ones carry no backslash (a YAML
    /// escape), single-quoted ones are literal but for `''`.
    static func documentPatterns() throws -> [String] {
        try OpenAPIDocument.text().split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("pattern: ") else { return nil }
            return unquoted(trimmed.dropFirst("pattern: ".count))
        }
    }

    /// The pattern of the shared parameter `name` (`components/parameters/NAME`), nil when it has none.
    static func parameterPattern(_ name: String) throws -> String? {
        let lines = try OpenAPIDocument.text().split(separator: "\n", omittingEmptySubsequences: false)
        guard let section = lines.firstIndex(of: "  parameters:"),
              let start = lines[section...].firstIndex(of: "    \(name):") else { return nil }
        for line in lines[(start + 1)...] {
            guard line.hasPrefix("      ") else { return nil }  // the next parameter or section
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("pattern: ") { return unquoted(trimmed.dropFirst("pattern: ".count)) }
        }
        return nil
    }

    private static func unquoted(_ quoted: Substring) -> String {
        if quoted.first == "'" { return String(quoted.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'") }
        #expect(!quoted.contains("\\"), "a double-quoted pattern with a YAML escape: \(quoted)")
        return String(quoted.dropFirst().dropLast())
    }

    @Test func everyPatternIsOneOfTheServersRules() throws {
        let patterns = try Self.documentPatterns()
        let known = [EntityName.pattern, TokenLifetime.pattern, NameRules.artifactNamePattern, NameRules.projectNamePattern,
                     NameRules.typePattern, ArttuiAPI.digestPattern, Store.runIDPattern, Store.runLabelPattern]
        #expect(patterns.filter { !known.contains($0) } == [], "patterns not built from the server's rules")
        #expect(patterns.filter { $0 == TokenLifetime.pattern }.count == 2, "UserCreation and TokenCreation")
        #expect(patterns.contains(NameRules.projectNamePattern) && patterns.contains(NameRules.typePattern))
        // RunStart.id, CommitRequest.distributedID and the pending-version path parameter
        #expect(patterns.filter { $0 == Store.runIDPattern }.count == 3)
        #expect(patterns.filter { $0 == Store.runLabelPattern }.count == 4, "RunStart's name, group, jobType and sweep")
    }

    @Test func theSharedPathParametersCarryTheServersRules() throws {
        #expect(try Self.parameterPattern("Entity") == EntityName.pattern)
        #expect(try Self.parameterPattern("User") == EntityName.pattern)
        #expect(try Self.parameterPattern("Project") == NameRules.projectNamePattern)
        #expect(try Self.parameterPattern("Artifact") == NameRules.artifactNamePattern)
        #expect(try Self.parameterPattern("Digest") == ArttuiAPI.digestPattern)
        #expect(try Self.parameterPattern("DistributedID") == Store.runIDPattern)
        // Path parameters are stated once and referred to: no operation spells one out again.
        let text = try OpenAPIDocument.text()
        for name in ["entity", "project", "artifact", "user", "digest", "distributedID"] {
            #expect(text.components(separatedBy: "name: \"\(name)\"\n          in: \"path\"").count == 1, "\(name) inline")
        }
    }

    @Test func theDigestPatternMatchesExactlyTheDigestsTheServerAccepts() throws {
        let regex = try NSRegularExpression(pattern: ArttuiAPI.digestPattern)
        let hex = String(repeating: "ab", count: 32)
        let samples = [hex, hex.uppercased(), String(hex.dropLast()), hex + "a", String(hex.dropLast()) + "g", "", "0x" + hex.dropFirst(2),
                       String(hex.dropLast()) + "\n", String(repeating: "٣", count: 64)]
        for sample in samples {
            let accepted = (try? ArttuiAPI.checkedDigest(sample)) != nil
            #expect(Self.matches(regex, sample) == accepted, "\(sample.debugDescription): server \(accepted)")
        }
    }

    @Test func theRunLabelPatternMatchesExactlyTheLabelsTheStoreAccepts() throws {
        let regex = try NSRegularExpression(pattern: Store.runLabelPattern)
        let samples = ["a", "a b", " ", "é", "日本", "a\tb", "\u{0}", "a\nb", "a\rb", "\r\n", "a\u{0B}", "a\u{0C}", "\u{85}",
                       "a\u{2028}", "\u{2029}b", "", String(repeating: "n", count: 128)]
        for sample in samples {
            let accepted = (try? Store.validateRunLabel(sample, kind: "run")) != nil
            #expect(Self.matches(regex, sample) == accepted, "\(sample.debugDescription): store \(accepted)")
        }
    }

    @Test func theRunIDPatternMatchesExactlyTheIDsTheStoreAccepts() throws {
        let regex = try NSRegularExpression(pattern: Store.runIDPattern)
        let samples = ["a", "A9", "_x", "-", ".", "..", "a.b-c_d", "a b", "", "é", "٣", "a/b", "a:b", "x\n", "\u{0}",
                       String(repeating: "n", count: 64), String(repeating: "n", count: 65)]
        for sample in samples {
            let accepted = (try? Store.validateRunID(sample)) != nil
            #expect(Self.matches(regex, sample) == accepted, "\(sample.debugDescription): store \(accepted)")
        }
    }

    @Test func theNamePatternsMatchExactlyTheNamesTheStoreAccepts() throws {
        let longest = NameRules.maxNameLength
        let common = ["a", "A-b_c.d", ".", "..", "...", ".a", "..a", "a.", "a b", " ", "", "a/b", "a:b", "a\\b", "a#b",
                      "a?b", "a%b", "a\nb", "a\u{7}", "a\u{85}", "\u{A0}", "\u{3000}x", "é", "日本", "job", "wandb-x",
                      String(repeating: "n", count: longest), String(repeating: "n", count: longest + 1),
                      "." + String(repeating: "n", count: longest - 1), ".." + String(repeating: "n", count: longest - 2),
                      String(repeating: "é", count: longest), String(repeating: "é", count: longest + 1)]
        let rules: [(pattern: String, check: (String) throws -> String, exceptions: Set<String>)] = [
            (NameRules.artifactNamePattern, NameRules.validateArtifactName, []),
            // The project pattern leaves the length to maxLength.
            (NameRules.projectNamePattern, NameRules.validateProject,
             [String(repeating: "n", count: longest + 1), String(repeating: "é", count: longest + 1)]),
            // The type pattern leaves the reserved types to the description.
            (NameRules.typePattern, NameRules.validateType, ["job", "wandb-x"]),
        ]
        for rule in rules {
            let regex = try NSRegularExpression(pattern: rule.pattern)
            for sample in common where !rule.exceptions.contains(sample) {
                let accepted = (try? rule.check(sample)) != nil
                #expect(Self.matches(regex, sample) == accepted, "\(rule.pattern): \(sample.debugDescription): store \(accepted)")
            }
        }
    }

    @Test func theEntityNamePatternMatchesExactlyTheNamesTheServerAccepts() throws {
        let regex = try NSRegularExpression(pattern: EntityName.pattern)
        let samples = ["a", "A9", "_x", "0", "a.b-c_d", "-a", ".a", "a b", "", "é", "a/b", "a:b", "x\n",
                       String(repeating: "n", count: EntityName.maxLength), String(repeating: "n", count: EntityName.maxLength + 1)]
        for sample in samples {
            let accepted = (try? EntityName.validate(sample)) != nil
            #expect(Self.matches(regex, sample) == accepted, "\(sample.debugDescription): server \(accepted)")
        }
    }

    @Test func theExpiryPatternMatchesExactlyTheLifetimesTheServerAccepts() throws {
        let regex = try NSRegularExpression(pattern: TokenLifetime.pattern)
        var samples = ["", "d", "1", "1w", "+1d", "-1d", "1.5h", "1 d", "٣d", "0d", "00d", "01d", "30d", "12h"]
        for (unit, scale) in [("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)] {
            let most = Int(TokenLifetime.maxSeconds) / scale
            for count in [1, 9, 10, 99, 100, most / 3, most / 2, most - 1, most, most + 1, most * 10, 99_999_999_999] {
                samples += ["\(count)\(unit)", "000\(count)\(unit)"]
            }
        }
        for sample in samples {
            let accepted = (try? TokenLifetime(parsing: sample)) != nil
            #expect(Self.matches(regex, sample) == accepted, "\(sample.debugDescription): server \(accepted)")
        }
    }

    /// Whether `regex` matches as JSON Schema reads it (ECMA-262: `$` is the end of the text, where ICU's
    /// `$` also matches before a final line break): the match must cover the whole text.
    private static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        let whole = NSRange(text.startIndex..., in: text)
        return regex.firstMatch(in: text, range: whole)?.range == whole
    }
}
