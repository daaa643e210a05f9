import ArtifactStore
import ArtifactWire
import Foundation

/// The JSON shapes the command line prints; documented in the README. The shapes themselves live in
/// `ArtifactWire`, where the team server answers with the same ones.
enum JSONOutput {
    /// A version as `show --json`, `ls --json` and `put --json` print it.
    typealias Version = WireVersion
    /// A project as `ls --json` prints it.
    typealias Project = WireProjectSummary
    /// An artifact as `ls PROJECT --json` prints it.
    typealias Artifact = WireArtifact

    /// Prints a value as indented JSON with sorted keys on stdout.
    static func print<Value: Encodable>(_ value: Value) throws {
        let data = try PrettyJSON.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// An ISO 8601 UTC timestamp with milliseconds, as the team server writes them.
    static func timestamp(_ date: Date) -> String {
        WireTimestamp.string(date)
    }
}
