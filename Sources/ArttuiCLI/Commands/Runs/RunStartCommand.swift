import ArgumentParser
import ArtifactStore
import ArtifactWire
import Foundation

/// `arttui run start -p PROJECT`: starts (or reopens) a run and prints its id.
struct RunStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Start a run, or reopen one with --id and --resume; prints the run id.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(name: [.customShort("p"), .long], help: "The project the run belongs to.")
    var project: String

    @Option(help: "The run id (default: 8 random lowercase letters and digits).")
    var id: String?

    @Option(help: "What to do when a run with --id exists: allow (reopen it), must (fail if none), never (fail).")
    var resume: RunResume = .never

    @Option(help: "A display name (default: the id).")
    var name: String?

    @Option(help: "The group, such as a batch of parallel writers.")
    var group: String?

    @Option(name: .customLong("job-type"), help: "The kind of work, such as train or eval.")
    var jobType: String?

    @Option(help: "The sweep the run belongs to.")
    var sweep: String?

    @Option(help: ArgumentHelp("The run's config: a JSON object, or @FILE.", valueName: "json|@file"))
    var config: String?

    func run() throws {
        let config = try config.map { try MetadataArgument.read($0, for: "--config") } ?? [:]
        let store = try storeOptions.openRepository()
        let run = try store.startRun(in: store.project(project), RunStartOptions(
            id: id, resume: resume, name: name, group: group, jobType: jobType, sweep: sweep, config: config))
        if output.json { return try JSONOutput.print(WireRun(run)) }
        print(run.id)
    }
}
