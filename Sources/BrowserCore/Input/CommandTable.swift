import ArtifactStore

/// One command of the `:` line, declared as data: its words, usage, help, what Tab offers after
/// it, and how its arguments become a `CommandRequest`.
public struct BrowserCommand: Sendable {
    /// The words that name it: `["alias", "add"]`.
    public var words: [String]
    /// What follows the words, for help and errors: `NAME`.
    public var usage: String
    /// A sentence for help.
    public var help: String
    /// Whether it acts on the selected version (read again before it runs) rather than the selection.
    public var needsVersion: Bool
    /// Options and values Tab offers after the words, for the state the browser is in.
    var suggestions: @Sendable (BrowserState) -> [String]
    /// Turns the arguments after the words into a request.
    var parse: @Sendable ([String]) throws -> CommandRequest
}

/// The commands of the `:` line. A view that brings a command of its own (`:diff REF` with the
/// diff view) adds an entry here and a case to `CommandRequest`; completion, history, help and
/// the footer need nothing more.
public enum CommandTable {
    /// Every command, in the order help and completion list them.
    public static let commands: [BrowserCommand] = [
        BrowserCommand(
            words: ["alias", "add"], usage: "NAME", help: "Give the version an alias (asks before moving one)",
            needsVersion: true, suggestions: { _ in [] },
            parse: { .addAlias(try single($0, "alias add", "NAME")) }),
        BrowserCommand(
            words: ["alias", "rm"], usage: "NAME", help: "Remove one of the version's aliases",
            needsVersion: true, suggestions: { $0.selectedVersion?.manualAliases ?? [] },
            parse: { .removeAlias(try single($0, "alias rm", "NAME")) }),
        BrowserCommand(
            words: ["describe"], usage: "[TEXT]", help: "Set the description (without TEXT: the editor)",
            needsVersion: true, suggestions: { _ in [] },
            parse: { $0.isEmpty ? .describe(nil) : .describe($0.joined(separator: " ")) }),
        BrowserCommand(
            words: ["prune"], usage: "[--keep-last N]", help: "Prune the artifact, keeping the newest N",
            needsVersion: false, suggestions: { _ in ["--keep-last"] },
            parse: { arguments in
                let options = try OptionArguments(arguments, known: ["--keep-last"], command: "prune")
                guard let text = options.values["--keep-last"] else { return .prune(keepLast: 0) }
                do throws(InvalidNumber) {
                    return .prune(keepLast: try NumberRule.count.read(text))
                } catch {
                    throw CommandLineError(error.naming("--keep-last"))
                }
            }),
        BrowserCommand(
            words: ["get"], usage: "[--root DIR]", help: "Write the version's files into DIR (default artifacts/NAME:vN)",
            needsVersion: true, suggestions: { _ in ["--root"] },
            parse: { .get(root: try OptionArguments($0, known: ["--root"], command: "get").values["--root"]) }),
        BrowserCommand(
            words: ["diff"], usage: "[REF]", help: "Diff the version against REF (vN or alias; default the one before)",
            needsVersion: true, suggestions: { _ in [] },
            parse: { $0.isEmpty ? .diff(base: nil) : .diff(base: try single($0, "diff", "REF")) }),
    ]

    /// The command a line names and the arguments after its words.
    /// - Throws: `CommandLineError` for an empty line, an unknown command, or bad arguments.
    public static func parse(_ line: String) throws -> (command: BrowserCommand, request: CommandRequest) {
        let tokens = try CommandTokenizer.tokens(line)
        guard !tokens.isEmpty else { throw CommandLineError("type a command: \(names)") }
        let matching = commands.filter { tokens.starts(with: $0.words) }
        guard let command = matching.max(by: { $0.words.count < $1.words.count }) else {
            throw CommandLineError("unknown command \"\(tokens.prefix(2).joined(separator: " "))\"; commands: \(names)")
        }
        return (command, try command.parse(Array(tokens.dropFirst(command.words.count))))
    }

    /// Every command's words, for messages: `alias add, alias rm, describe, prune, get`.
    static var names: String { commands.map { $0.words.joined(separator: " ") }.joined(separator: ", ") }

    private static func single(_ arguments: [String], _ name: String, _ what: String) throws -> String {
        guard arguments.count == 1 else {
            throw CommandLineError("\(name) takes one \(what)" + (arguments.isEmpty ? "" : ", not \(arguments.count)"))
        }
        return arguments[0]
    }
}

/// `--name VALUE` and `--name=VALUE` options, nothing else.
struct OptionArguments {
    var values: [String: String] = [:]

    init(_ arguments: [String], known: Set<String>, command: String) throws {
        var rest = arguments[...]
        while let first = rest.popFirst() {
            let parts = first.split(separator: "=", maxSplits: 1).map(String.init)
            guard known.contains(parts[0]) else {
                throw CommandLineError("\(command) does not take \"\(first)\"; it takes \(known.sorted().joined(separator: ", "))")
            }
            if parts.count == 2 {
                values[parts[0]] = parts[1]
            } else if let value = rest.popFirst() {
                values[parts[0]] = value
            } else {
                throw CommandLineError("\(parts[0]) needs a value")
            }
        }
    }
}

/// Splits a command line into words: spaces separate, quotes ('…' or "…") keep spaces, `\` escapes.
enum CommandTokenizer {
    static func tokens(_ line: String) throws -> [String] {
        var tokens: [String] = []
        var current = ""
        var inToken = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\", quote != "'" {
                escaped = true
                inToken = true
            } else if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inToken = true
            } else if character == " " {
                if inToken { tokens.append(current) }
                current = ""
                inToken = false
            } else {
                current.append(character)
                inToken = true
            }
        }
        if let quote { throw CommandLineError("a \(quote) quote is not closed") }
        if inToken { tokens.append(current) }
        return tokens
    }
}
