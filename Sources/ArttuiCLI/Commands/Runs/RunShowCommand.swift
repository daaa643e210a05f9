import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui run show ID`: a run with the versions it used and logged.
struct RunShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a run: config, summary, and the versions it used and logged.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The run id.")
    var id: String

    func run() throws {
        let store = try storeOptions.openStore()
        let run = try store.run(id: id)
        let used = try run.usedArtifacts()
        let logged = try run.loggedArtifacts()
        if output.json {
            return try JSONOutput.print(RunShowJSON(
                run: RunJSON(run.record), used: used.map(\.lineageName), logged: logged.map(\.lineageName),
                usedVersions: used.map { JSONOutput.Version($0) }, loggedVersions: logged.map { JSONOutput.Version($0) }))
        }
        let record = run.record
        let lines: [(String, String)] = [
            ("run", record.id), ("project", record.project), ("name", record.name), ("state", record.state.rawValue),
            ("group", record.group ?? "-"), ("job type", record.jobType ?? "-"), ("sweep", record.sweep ?? "-"),
            ("started", TextTable.date(record.startedAt)),
            ("finished", record.finishedAt.map(TextTable.date) ?? "-"),
            ("config", JSONValue.object(record.config).prettyJSONText),
            ("summary", JSONValue.object(record.summary).prettyJSONText),
            ("used", used.isEmpty ? "-" : used.map(\.lineageName).joined(separator: "\n")),
            ("logged", logged.isEmpty ? "-" : logged.map(\.lineageName).joined(separator: "\n")),
        ]
        for (key, value) in lines {
            let indented = value.replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: 10))
            print(key.padding(toLength: 10, withPad: " ", startingAt: 0) + indented)
        }
    }
}

private struct RunShowJSON: Encodable {
    var run: RunJSON
    var used: [String]
    var logged: [String]
    /// The same versions in full (deleted ones with `"state": "deleted"`), so a script needs no `show` per version.
    var usedVersions: [JSONOutput.Version]
    var loggedVersions: [JSONOutput.Version]
}

extension ArtifactVersion {
    /// `project/name:v3`, with ` (deleted)` for a tombstone.
    var lineageName: String { qualifiedName + (state == .deleted ? " (deleted)" : "") }
}
