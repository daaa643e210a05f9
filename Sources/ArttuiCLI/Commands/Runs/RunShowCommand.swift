import ArgumentParser
import ArtifactStore
import ArtifactWire
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
        let store = try storeOptions.openRepository()
        let detail = try store.runDetail(id: id)
        let (record, used, logged) = (detail.record, detail.used, detail.logged)
        if output.json {
            return try JSONOutput.print(WireRunDetail(
                run: WireRun(record), used: used.map { JSONOutput.Version($0) },
                logged: logged.map { JSONOutput.Version($0) }))
        }
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

extension ArtifactVersion {
    /// `project/name:v3`, with ` (deleted)` for a tombstone.
    var lineageName: String { qualifiedName + (state == .deleted ? " (deleted)" : "") }
}
