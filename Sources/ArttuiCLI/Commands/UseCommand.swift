import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui use PROJECT/NAME:REF --run ID`: records that a run used a version, without downloading it.
struct UseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "use", abstract: "Record that a run used a version (get --run also downloads it).")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The version: PROJECT/NAME[:REF].", valueName: "project/name[:ref]"))
    var address: String

    @Option(name: .customLong("run"), help: "The run that used it.")
    var runID: String

    func run() throws {
        let store = try storeOptions.openRepository()
        let version = try store.version(store.address(address))
        try store.use(version, run: runID)
        if output.json { return try JSONOutput.print(JSONOutput.Version(version)) }
        print("run \(runID) used \(version.qualifiedName)")
    }
}
