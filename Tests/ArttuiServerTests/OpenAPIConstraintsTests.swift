import ArtifactStore
import ArtifactWire
@testable import ArttuiServer
import Foundation
import Testing

/// The OpenAPI document states the server's own rules: each `pattern` it gives is built from the
/// server's constants, and matches exactly the texts the server's check accepts.
@Suite struct OpenAPIConstraintsTests {
    static let digestPattern = "^[0-9a-fA-F]{64}$"

    /// Every `pattern:` value in the document, in order: double-quoted ones carry no backslash (a YAML
    /// escape), single-quoted ones are literal but for `''`.
    static func documentPatterns() throws -> [String] {
        try OpenAPIDocument.text().split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("pattern: ") else { return nil }
            let quoted = trimmed.dropFirst("pattern: ".count)
            if quoted.first == "'" { return String(quoted.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'") }
            #expect(!quoted.contains("\\"), "a double-quoted pattern with a YAML escape: \(quoted)")
            return String(quoted.dropFirst().dropLast())
        }
    }

    @Test func everyPatternIsOneOfTheServersRules() throws {
        let patterns = try Self.documentPatterns()
        let known = [EntityName.pattern, TokenLifetime.pattern, NameRules.artifactNamePattern, NameRules.projectNamePattern,
                     NameRules.typePattern, Self.digestPattern, Store.runIDPattern, Store.runLabelPattern]
        #expect(patterns.filter { !known.contains($0) } == [], "patterns not built from the server's rules")
        #expect(patterns.filter { $0 == TokenLifetime.pattern }.count == 2, "UserCreation and TokenCreation")
        // entity path parameters, user and team names, ProjectCreation.entity
        #expect(patterns.filter { $0 == EntityName.pattern }.count > 20)
        #expect(patterns.filter { $0 == NameRules.artifactNamePattern }.count > 10)
        #expect(patterns.contains(NameRules.projectNamePattern) && patterns.contains(NameRules.typePattern))
        // RunStart.id, CommitRequest.distributedID and the two pending-version paths
        #expect(patterns.filter { $0 == Store.runIDPattern }.count == 4)
        #expect(patterns.filter { $0 == Store.runLabelPattern }.count == 4, "RunStart's name, group, jobType and sweep")
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
