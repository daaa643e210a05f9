import ArgumentParser
import ArtifactStore
import ArtifactWire
import CommandLineSupport
import Foundation

/// The one line a failed command prints on stderr, and the kind of failure it was.
///
/// People read `arttui: error: MESSAGE`. A program that acts on the kind (the Python package raises
/// the reference's `ValueError` for a name nothing answers or an alias the store refuses) sets
/// `ARTTUI_ERROR_FORMAT=json` and reads `{"error":MESSAGE,"kind":KIND}` on that line instead, so it
/// never has to match the wording. Kinds: a `StoreError.Kind` (`notFound`, `conflict`, `invalid`,
/// `unavailable`, `damaged`, `io`), or `permissionDenied`, `unauthorized`, `unreachable`, `usage` (the
/// command line itself) and `failed` (any other failure a command reports: `verify`'s differences, a
/// wrong server address or remote name, a configuration file it cannot write).
struct ErrorReport: Equatable {
    /// The one-line message.
    var message: String
    /// The failure's kind.
    var kind: String

    /// The report of an error that ended a command; `root` words the parser's refusals.
    init(_ error: any Error, root: any ParsableCommand.Type) {
        switch error {
        case let error as StoreError:
            self.init(message: error.description, kind: error.kind.rawValue)
        case let error as ServerError:
            self.init(message: error.description, kind: error.kind)
        case let error as CommandFailure:
            self.init(message: error.message, kind: "failed")
        default:
            // The parser's refusals (exit 64); anything else that escaped a command is a plain failure.
            let usage = root.exitCode(for: error) == .validationFailure
            self.init(message: root.refusalLine(for: error), kind: usage ? "usage" : "failed")
        }
    }

    init(message: String, kind: String) {
        self.message = message
        self.kind = kind
    }

    /// Writes the report on stderr, worded for people unless `environment` asks for JSON.
    func print(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let line = message.replacingOccurrences(of: "\n", with: " ")
        let text: String
        if environment["ARTTUI_ERROR_FORMAT"] == "json",
           let data = try? JSONSerialization.data(
               withJSONObject: ["error": line, "kind": kind], options: [.sortedKeys, .withoutEscapingSlashes]) {
            text = String(decoding: data, as: UTF8.self)
        } else {
            text = "arttui: error: \(line)"
        }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

extension ServerError {
    /// The kind of report for a server's failure: a refusal by status as the server classed it.
    var kind: String {
        switch self {
        case .unreachable, .timedOut, .tls: "unreachable"
        case .unauthorized: "unauthorized"
        case .permissionDenied: "permissionDenied"
        case .notFound: StoreError.Kind.notFound.rawValue
        case .missingChunks: StoreError.Kind.conflict.rawValue
        case .problem(let status, _): (StoreError.Kind(httpStatus: status) ?? .damaged).rawValue
        case .unexpectedAnswer: StoreError.Kind.unavailable.rawValue
        }
    }
}
