import ArgumentParser
import ArtifactStore

/// The one line `arttui` and `arttui-server` print for a command line swift-argument-parser refused,
/// instead of its message and the usage after it.
public enum ParserRefusal {
    /// The first line of the parser's `message` without its `Error: `, or nil when it has none; a number
    /// a `NumberRule` refused is worded as every other refusal of a number: the parser's "The value '-1'
    /// is invalid for '--keep-last <n>': must be …" becomes `--keep-last must be …, got -1`.
    public static func line(of message: String) -> String? {
        guard let first = message.split(separator: "\n").first.map(String.init) else { return nil }
        let parserWording = #/(?:Error: )?The value '(?<value>.*)' is invalid for '(?<option>-[^ ']+)(?: <[^>]*>)?': (?<requirement>must be .*)/#
        if let match = first.wholeMatch(of: parserWording) {
            return InvalidNumber(text: String(match.value), requirement: String(match.requirement)).naming(String(match.option))
        }
        return first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first
    }
}

extension ParsableCommand {
    /// The one line to print for `error`, which parsing or running this command (the root of a command
    /// line) threw: the parser's refusal as `ParserRefusal` words it, else the error's description.
    public static func refusalLine(for error: any Error) -> String {
        ParserRefusal.line(of: message(for: error)) ?? "\(error)"
    }
}
