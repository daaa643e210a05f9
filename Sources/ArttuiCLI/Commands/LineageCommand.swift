import ArgumentParser
import ArtifactStore
import ArtifactWire
import Foundation
import LineageLayout

/// `arttui lineage PROJECT/NAME:REF`: the runs and versions around a version, drawn as a graph.
struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Draw the lineage of a version: the runs and versions upstream and downstream of it.",
        discussion: "Each edge is one hop: --up 2 from a model reaches the run that logged it and that run's inputs.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The version: PROJECT/NAME[:REF].", valueName: "project/name[:ref]"))
    var address: String

    @Option(help: "Hops to follow upstream (toward what made it).")
    var up = 3

    @Option(help: "Hops to follow downstream (toward what was made from it).")
    var down = 3

    @Flag(help: "Draw with ASCII characters only.")
    var ascii = false

    func validate() throws {
        guard up >= 0, down >= 0 else { throw ValidationError("--up and --down must be 0 or more") }
    }

    func run() throws {
        let parsed = try ArtifactAddress(parsing: address)
        let store = try storeOptions.openStore()
        let graph = try store.lineage(of: store.version(parsed), upstream: up, downstream: down)
        if output.json { return try JSONOutput.print(WireLineage(graph)) }
        for line in LineageTextRenderer(ascii: ascii).render(graph) { print(line) }
    }
}
