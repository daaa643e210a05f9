import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui run finish ID`: marks a run finished (or failed).
struct RunFinishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finish", abstract: "Finish a run, optionally merging a summary into its own.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The run id.")
    var id: String

    @Option(help: "The final state: finished, failed or crashed.")
    var state: RunState = .finished

    @Option(help: ArgumentHelp("Summary metrics to merge: a JSON object, or @FILE.", valueName: "json|@file"))
    var summary: String?

    func run() throws {
        let summary = try summary.map { try MetadataArgument.read($0, for: "--summary") } ?? [:]
        try storeOptions.openRepository().finish(run: id, state: state, summary: summary)
    }
}
